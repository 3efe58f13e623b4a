/** pseries machine types, the -machine / -cpu options, CPU models and compat modes. */
export * from './compat';
export * from './cpu-models';
export * from './machine-types';
export * from './machine-option';
export * from './machine-migration';
export * from './irq-backend';
