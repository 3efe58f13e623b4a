import type { GuestState, HostState } from '@spapr/domain';
import type { Db } from '../open-database';

export interface HostListing {
  readonly host: HostState;
  readonly runningGuests: number;
}

/** Hosts by level then ID, each with its latest snapshot and how many guests run on it now. */
export const listHosts = (db: Db): HostListing[] =>
  (
    db
      .prepare(
        `SELECT h.state, (SELECT count(*) FROM catalogue_guests g WHERE g.host_id = h.host_id AND g.status = 'running') AS running
         FROM catalogue_hosts h ORDER BY h.level, h.host_id`,
      )
      .all() as { state: string; running: number }[]
  ).map((r) => ({ host: JSON.parse(r.state) as HostState, runningGuests: r.running }));

/** Guests by ID with their current host, status and configuration. */
export const listGuests = (db: Db): GuestState[] =>
  (db.prepare('SELECT state FROM catalogue_guests ORDER BY guest_id').pluck().all() as string[]).map((s) => JSON.parse(s) as GuestState);
