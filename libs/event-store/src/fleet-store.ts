import { CatalogueProjection } from './projections/catalogue.projection';
import { Projections } from './projections/projections';
import { Db, openDatabase, OpenOptions } from './open-database';
import { SqliteEventStore } from './sqlite-event-store';

/** The store file with its log and projections, caught up and ready: what the CLI, the daemon and tests open. */
export interface FleetStore {
  readonly db: Db;
  readonly events: SqliteEventStore;
  readonly catalogue: CatalogueProjection;
  readonly projections: Projections;
  close(): void;
}

export interface FleetStoreOptions extends OpenOptions {
  /** The smallest unit of work, in events, written by a writer thread (an import; tests set it low to run that path). */
  readonly writerThreadFrom?: number;
}

export const openFleetStore = (path: string, options: FleetStoreOptions = {}): FleetStore => {
  const db = openDatabase(path, options);
  const events = new SqliteEventStore(db, options.writerThreadFrom);
  const catalogue = new CatalogueProjection(db);
  const projections = new Projections(db, events, [catalogue]);
  if (!options.readonly) projections.catchUp();
  return { db, events, catalogue, projections, close: () => db.close() };
};
