/** Rule IDs and the catalogue that defines them (rules.md). */
export * from './rule-ids';
export * from './catalogue';
