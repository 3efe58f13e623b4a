import { userInfo } from 'node:os';

/** Options every verb inherits (`--db`, `--json`, `--actor`). */
export interface GlobalOptions {
  readonly db: string;
  readonly json: boolean;
  readonly actor: string;
}

export const DEFAULT_DB = process.env.SPAPR_PLANNER_DB ?? './data/planner.db';

export const defaultActor = (): string => {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
};
