/** Injection tokens for the plain objects the planner module wires. */
export const FLEET_STORE = Symbol('FLEET_STORE');
export const PLANNER_OPTIONS = Symbol('PLANNER_OPTIONS');

export interface PlannerOptions {
  /** The SQLite file (SPEC §3: default ./data/planner.db). */
  readonly dbPath: string;
}
