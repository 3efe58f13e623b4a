import type { Statement } from 'better-sqlite3';
import { evolveGuest, evolveHost, FleetView, GuestState, HostState, isFleetEvent, isHostEvent } from '@spapr/domain';
import type { Db } from '../open-database';
import type { AppendedEvent } from '../sqlite-event-store';
import { CanonicalJson, WriteSink } from '../writes/write-sink';
import type { Projection } from './projection';

const UPSERT_HOST = `INSERT INTO catalogue_hosts (host_id, level, parent_guest_id, retired_at, version, state) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (host_id) DO UPDATE SET level = excluded.level, parent_guest_id = excluded.parent_guest_id,
    retired_at = excluded.retired_at, version = excluded.version, state = excluded.state`;
const UPSERT_GUEST = `INSERT INTO catalogue_guests (guest_id, host_id, status, version, state) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (guest_id) DO UPDATE SET host_id = excluded.host_id, status = excluded.status,
    version = excluded.version, state = excluded.state`;

/**
 * Lookups of IDs the catalogue does not hold, in one transaction, after which one scan of its keys answers the
 * rest: an import of new guests otherwise asks SQLite about each of them once (34,000 empty lookups per 100,000
 * events), and a scan of even a large fleet's keys costs a few hundred of them.
 */
const MISSES_BEFORE_SCAN = 1000;

/** Parsed rows kept per kind: a command reads a few, and JSON.parse of a state costs more than its SELECT. */
const KNOWN_ROWS = 10_000;

/**
 * Hosts with their latest snapshot, guests with their current host and configuration: the domain's own
 * evolve functions, stored as rows. Writes are buffered for the length of one transaction (an import of
 * 100,000 events writes each host and guest row once) and read through, so the decider always sees the
 * events applied so far.
 */
export class CatalogueProjection implements Projection, FleetView {
  readonly name = 'catalogue';
  private readonly dirtyHosts = new Map<string, HostState>();
  private readonly dirtyGuests = new Map<string, GuestState>();
  private readonly selectHost: Statement<[string], string>;
  private readonly selectGuest: Statement<[string], string>;
  private readonly selectRunningOn: Statement<[string], string>;
  private readonly selectL1In: Statement<[string], string>;
  private readonly selectHostIds: Statement<[], string>;
  private readonly selectGuestIds: Statement<[], string>;
  /** The IDs stored when this transaction began, once it has missed often enough (see MISSES_BEFORE_SCAN). */
  private stored: { readonly hosts: ReadonlySet<string>; readonly guests: ReadonlySet<string> } | null = null;
  private misses = 0;
  /**
   * Rows as last read or written by this connection (null: no row), valid while no other connection commits:
   * SQLite's data_version, read before a transaction's first change, tells. Dropped when a transaction fails.
   */
  private readonly known = { hosts: new Map<string, HostState | null>(), guests: new Map<string, GuestState | null>() };
  private knownAt: number | null = null;
  private readonly dataVersion: Statement<[], number>;

  constructor(private readonly db: Db) {
    this.selectHost = db.prepare('SELECT state FROM catalogue_hosts WHERE host_id = ?').pluck() as Statement<[string], string>;
    this.selectGuest = db.prepare('SELECT state FROM catalogue_guests WHERE guest_id = ?').pluck() as Statement<[string], string>;
    this.selectRunningOn = db.prepare("SELECT guest_id FROM catalogue_guests WHERE host_id = ? AND status = 'running'").pluck() as Statement<[string], string>;
    this.selectL1In = db.prepare('SELECT state FROM catalogue_hosts WHERE parent_guest_id = ? AND retired_at IS NULL ORDER BY host_id LIMIT 1').pluck() as Statement<[string], string>;
    this.selectHostIds = db.prepare('SELECT host_id FROM catalogue_hosts').pluck() as Statement<[], string>;
    this.selectGuestIds = db.prepare('SELECT guest_id FROM catalogue_guests').pluck() as Statement<[], string>;
    this.dataVersion = db.prepare('PRAGMA data_version').pluck() as Statement<[], number>;
  }

  host(hostId: string): HostState | undefined {
    return this.dirtyHosts.get(hostId) ?? this.read<HostState>(this.selectHost, hostId, 'hosts');
  }

  guest(guestId: string): GuestState | undefined {
    return this.dirtyGuests.get(guestId) ?? this.read<GuestState>(this.selectGuest, guestId, 'guests');
  }

  private read<T extends HostState | GuestState>(select: Statement<[string], string>, id: string, kind: 'hosts' | 'guests'): T | undefined {
    if (this.stored && !this.stored[kind].has(id)) return undefined;
    // Inside a recording transaction (its buffered rows are not empty) no other writer can commit until it ends.
    const changing = this.dirtyHosts.size + this.dirtyGuests.size > 0;
    if (!changing) this.forgetOtherCommits();
    const known = this.known[kind] as Map<string, T | null>;
    const seen = known.get(id);
    if (seen !== undefined) return seen ?? undefined;
    const row = select.get(id);
    const state = row === undefined ? null : (JSON.parse(row) as T);
    remember(known, id, state);
    if (state) return state;
    if (changing && ++this.misses === MISSES_BEFORE_SCAN) {
      this.stored = { hosts: new Set(this.selectHostIds.all()), guests: new Set(this.selectGuestIds.all()) };
    }
    return undefined;
  }

  /** What another connection (a writer thread, another process) committed since the rows were read. */
  private forgetOtherCommits(): void {
    const version = this.dataVersion.get()!;
    if (version !== this.knownAt) this.forgetKnown();
    this.knownAt = version;
  }

  private forgetKnown(): void {
    this.known.hosts.clear();
    this.known.guests.clear();
  }

  l1HostIn(guestId: string): HostState | undefined {
    for (const h of this.dirtyHosts.values()) if (h.snapshot.parentGuestId === guestId && !h.retiredAt) return h;
    const row = this.selectL1In.get(guestId);
    return row === undefined ? undefined : (JSON.parse(row) as HostState);
  }

  runningGuestsOn(hostId: string): string[] {
    const running = new Set(this.selectRunningOn.all(hostId));
    for (const g of this.dirtyGuests.values()) {
      if (g.status === 'running' && g.hostId === hostId) running.add(g.guestId);
      else running.delete(g.guestId);
    }
    return [...running].sort();
  }

  apply({ event, position }: AppendedEvent): void {
    if (!isFleetEvent(event)) return;
    const e = event;
    if (isHostEvent(e)) this.dirtyHosts.set(e.data.hostId, evolveHost(this.host(e.data.hostId), e, position));
    else this.dirtyGuests.set(e.data.guestId, evolveGuest(this.guest(e.data.guestId), e, position));
  }

  flush(writes: WriteSink): void {
    for (const h of this.dirtyHosts.values()) writes.run(UPSERT_HOST, [h.hostId, h.snapshot.level, h.snapshot.parentGuestId, h.retiredAt, h.version, new CanonicalJson(h)]);
    for (const g of this.dirtyGuests.values()) writes.run(UPSERT_GUEST, [g.guestId, g.hostId, g.status, g.version, new CanonicalJson(g)]);
    // A unit that rewrote more rows than are kept (an import) starts the kept rows afresh.
    if (this.dirtyHosts.size + this.dirtyGuests.size > KNOWN_ROWS) this.forgetKnown();
    else {
      for (const h of this.dirtyHosts.values()) remember(this.known.hosts, h.hostId, h);
      for (const g of this.dirtyGuests.values()) remember(this.known.guests, g.guestId, g);
    }
    this.endTransaction();
  }

  /** The transaction failed: what it changed, and what it wrote, is not in the database. */
  discard(): void {
    this.endTransaction();
    this.forgetKnown();
  }

  private endTransaction(): void {
    this.dirtyHosts.clear();
    this.dirtyGuests.clear();
    this.stored = null;
    this.misses = 0;
  }

  reset(): void {
    this.discard();
    this.db.exec('DELETE FROM catalogue_hosts; DELETE FROM catalogue_guests;');
  }
}

/** Keeps `state` as `id`'s row, the oldest row forgotten past KNOWN_ROWS. */
const remember = <T>(known: Map<string, T | null>, id: string, state: T | null): void => {
  known.delete(id);
  if (known.size >= KNOWN_ROWS) known.delete(known.keys().next().value as string);
  known.set(id, state);
};
