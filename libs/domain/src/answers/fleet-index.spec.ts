import fc from 'fast-check';
import type { FleetCommand } from '../fleet/fleet.commands';
import { isFieldError, usableHost } from '../fleet/fleet-lookups';
import type { GuestState } from '../fleet/guest.state';
import { decide } from '../fleet/fleet.decider';
import { InMemoryFleet } from '../fleet/in-memory-fleet';
import { fleetCommandSequence } from '../testing/arbitraries';
import { decidedFleet } from '../testing/decided-fleet';
import { aBoot, aHost } from '../testing/fleet-fixtures';
import { checkBoot } from './boot-check';
import { checkMigration } from './migration-check';
import { checkNesting } from './nesting-check';
import { FleetIndex } from './fleet-index';

const now = '2026-12-01T00:00:00Z';
const fleetOf = (commands: FleetCommand[]): InMemoryFleet => decidedFleet(commands, { strict: false });
const ctx = (view: InMemoryFleet) => ({ view, position: view.position, now });
const indexOf = (fleet: InMemoryFleet) => new FleetIndex(fleet, fleet.hosts.values(), fleet.guests.values());
const running = (fleet: InMemoryFleet) => [...fleet.guests.values()].filter((g) => g.status === 'running');
const valueOf = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

/** The same generator's history with every host and guest ID prefixed: hosts like the fleet's, none of its IDs. */
const renamed = (commands: FleetCommand[], prefix: string): FleetCommand[] => {
  const ids = new Set(['hostId', 'toHostId', 'guestId', 'parentGuestId']);
  return commands.map((c) => ({ ...c, data: Object.fromEntries(Object.entries(c.data).map(([k, v]) => [k, ids.has(k) && typeof v === 'string' ? `${prefix}${v}` : v])) }) as FleetCommand);
};

/** Every question about the fleet's own hosts and guests, as answered on `fleet` (positions left out: the log grew). */
const answersAbout = (fleet: InMemoryFleet, hostIds: readonly string[], guestIds: readonly string[]) => {
  const index = indexOf(fleet);
  const audit = index.audit({ position: fleet.position, now });
  return {
    destinations: guestIds.map((g) => {
      const classes = valueOf(index.destinations(g, { position: fleet.position, now })).classes;
      return hostIds.map((h) => classes.find((c) => c.hostIds.includes(h))?.verdict ?? 'not a destination');
    }),
    auditFindings: audit.findings.filter((f) => guestIds.includes(f.guestId)),
    boot: hostIds.flatMap((h) => guestIds.map((g) => checkBoot(ctx(fleet), h, fleet.guest(g)!.configuration)).map((a) => (a.ok ? [a.value.verdict, a.value.findings] : a.error))),
    nesting: guestIds.map((g) => checkNesting(ctx(fleet), g)).map((a) => (a.ok ? [a.value.verdict, a.value.findings] : a.error)),
  };
};

describe('When destinations are grouped into capability classes', () => {
  it('every host gets exactly the verdict a direct check of that one migration gives', () => {
    fc.assert(
      fc.property(fleetCommandSequence(60, 25), (commands) => {
        const fleet = fleetOf(commands);
        const index = indexOf(fleet);
        for (const guest of running(fleet)) {
          for (const cls of valueOf(index.destinations(guest.guestId, { position: fleet.position, now })).classes) {
            for (const hostId of cls.hostIds) expect(valueOf(checkMigration(ctx(fleet), guest.guestId, hostId)).verdict).toBe(cls.verdict);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('no answer about the fleet changes when unrelated hosts and guests are added (they may join its classes)', () => {
    fc.assert(
      fc.property(fleetCommandSequence(40, 15), fleetCommandSequence(30, 5), (commands, others) => {
        const before = fleetOf(commands);
        const after = fleetOf([...commands, ...renamed(others, 'other-')]);
        const hostIds = [...before.hosts.keys()];
        const guestIds = running(before).map((g) => g.guestId);
        expect(answersAbout(after, hostIds, guestIds)).toEqual(answersAbout(before, hostIds, guestIds));
      }),
      { numRuns: 100 },
    );
  });

  it('migration to a host identical to the one the guest runs on is safe, migrated guests included', () => {
    let migrated = 0;
    // A placement the rules refuse may still be recorded (facts are facts): its twin refuses it just the same. A host
    // whose parent guest has stopped (or that is retired) takes no one, twin or not.
    const acceptedWhereItRuns = (fleet: InMemoryFleet) => (g: GuestState) =>
      g.contract !== null && !isFieldError(usableHost(fleet, g.hostId, 'host')) && valueOf(checkBoot(ctx(fleet), g.hostId, g.configuration)).verdict !== 'unsafe';
    fc.assert(
      fc.property(fleetCommandSequence(50, 20), (commands) => {
        const fleet = fleetOf(commands);
        for (const guest of running(fleet).filter(acceptedWhereItRuns(fleet))) {
          const host = fleet.host(guest.hostId)!;
          const copy = fleetOf(commands);
          const twinId = `twin-of-${host.hostId}`;
          copy.apply(valueOf(decide({ type: 'RecordHostSnapshot', data: { ...host.snapshot, hostId: twinId } }, copy)).event);
          const answer = valueOf(checkMigration(ctx(copy), guest.guestId, twinId));
          expect(answer.findings.filter((f) => f.severity !== 'info')).toEqual([]);
          if (guest.migrations > 0) migrated++;
        }
      }),
      { numRuns: 80 },
    );
    expect(migrated).toBeGreaterThan(0);
  });
});

describe('When the fleet is audited', () => {
  it('names exactly the guests with at most one safe destination as stranded, with their safe and warn counts', () => {
    fc.assert(
      fc.property(fleetCommandSequence(60, 25), (commands) => {
        const fleet = fleetOf(commands);
        const index = indexOf(fleet);
        const moment = { position: fleet.position, now };
        const expected = running(fleet).flatMap((g) => {
          const { counts } = valueOf(index.destinations(g.guestId, moment));
          return counts.safe <= 1 ? [{ guestId: g.guestId, hostId: g.hostId, safeDestinations: counts.safe, warnDestinations: counts.warn }] : [];
        });
        expect(index.audit(moment).stranded).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('counts hosts for a guest the way destinations does, ranking the audit warn when someone is stranded', () => {
    const fleet = fleetOf([
      { type: 'RecordHostSnapshot', data: aHost({ hostId: 'a' }) },
      { type: 'RecordHostSnapshot', data: aHost({ hostId: 'b' }) },
      { type: 'RecordHostSnapshot', data: aHost({ hostId: 'old', qemu: { version: '5.2.0' } }) },
      { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-1', hostId: 'a' }) },
    ]);
    const report = indexOf(fleet).audit({ position: fleet.position, now });
    expect(report).toEqual(expect.objectContaining({ verdict: 'warn', guests: 1, hosts: 3, classes: 2 }));
    expect(report.stranded).toEqual([{ guestId: 'vm-1', hostId: 'a', safeDestinations: 1, warnDestinations: 0 }]);
  });
});
