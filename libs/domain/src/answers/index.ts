/** Answers to the planner's questions: findings with evidence, verdicts, and the boot / migration / nesting checks. */
export * from './finding';
export * from './evidence';
export * from './answer-context';
export * from './boot-check';
export * from './migration-check';
export * from './nesting-check';
export * from './capability-class';
export * from './fleet-index';
