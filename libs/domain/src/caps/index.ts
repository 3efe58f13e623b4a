/** spapr caps: the table, values, defaults, startup checks and the migration comparison. */
export * from './qemu-version';
export * from './spapr-caps';
export * from './cap-value';
export * from './cap-defaults';
export * from './cause';
export * from './host-facts';
export * from './guest-caps';
export * from './startup-checks';
export * from './cap-migration';
export * from './cpu-characteristics';
