/** ibm,architecture-vec-5 and the CAS model (boot and migration predictions). */
export * from './ov5';
export * from './kernel-features';
export * from './negotiate';
export * from './observed-ov5';
export * from './migrate';
