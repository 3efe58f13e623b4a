import fc from 'fast-check';
import { decide } from '../fleet/fleet.decider';
import { InMemoryFleet } from '../fleet/in-memory-fleet';
import { fleetCommandSequence } from '../testing/arbitraries';
import { decidedFleet } from '../testing/decided-fleet';
import { aBoot, aHost } from '../testing/fleet-fixtures';
import { checkMigration } from './migration-check';
import { FleetIndex } from './fleet-index';

const now = '2026-12-01T00:00:00Z';
const fleetOf = (commands: Parameters<typeof decide>[0][]): InMemoryFleet => decidedFleet(commands, { strict: false });
const ctx = (view: InMemoryFleet) => ({ view, position: view.position, now });
const indexOf = (fleet: InMemoryFleet) => new FleetIndex(ctx(fleet), fleet.hosts.values(), fleet.guests.values());
const running = (fleet: InMemoryFleet) => [...fleet.guests.values()].filter((g) => g.status === 'running');

describe('When destinations are grouped into capability classes', () => {
  it('every host gets exactly the verdict a direct check of that one migration gives', () => {
    fc.assert(
      fc.property(fleetCommandSequence(60, 25), (commands) => {
        const fleet = fleetOf(commands);
        const index = indexOf(fleet);
        for (const guest of running(fleet)) {
          const answer = index.destinations(guest.guestId);
          if (!answer.ok) throw new Error(JSON.stringify(answer.error));
          for (const cls of answer.value.classes) {
            for (const hostId of cls.hostIds) {
              const direct = checkMigration(ctx(fleet), guest.guestId, hostId);
              expect(direct.ok && direct.value.verdict).toBe(cls.verdict);
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a verdict never changes when unrelated hosts and guests are added', () => {
    fc.assert(
      fc.property(fleetCommandSequence(50, 20), fc.integer({ min: 1, max: 4 }), (commands, extra) => {
        const before = fleetOf(commands);
        const unrelated = Array.from({ length: extra }, (_, i) => [
          { type: 'RecordHostSnapshot' as const, data: aHost({ hostId: `other-${i}`, observedAt: '2026-11-30T00:00:00Z', cpu: { model: 'POWER10' }, qemu: { version: '9.2.0' } }) },
          { type: 'RecordGuestBoot' as const, data: aBoot({ guestId: `other-vm-${i}`, hostId: `other-${i}`, at: '2026-11-30T00:01:00Z', machine: 'pseries-9.2' }) },
        ]).flat();
        const after = fleetOf([...commands, ...unrelated]);
        for (const guest of running(before)) {
          for (const host of before.hosts.values()) {
            const a = checkMigration(ctx(before), guest.guestId, host.hostId);
            const b = checkMigration(ctx(after), guest.guestId, host.hostId);
            expect(b.ok && b.value.verdict).toBe(a.ok && a.value.verdict);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('migration to a host identical to the one the guest booted on is safe', () => {
    fc.assert(
      fc.property(fleetCommandSequence(50, 20), (commands) => {
        const fleet = fleetOf(commands);
        for (const guest of running(fleet)) {
          const host = fleet.host(guest.hostId)!;
          fc.pre(guest.contract !== null && guest.migrations === 0);
          const twinId = `twin-of-${host.hostId}`;
          const twin = decide({ type: 'RecordHostSnapshot', data: { ...host.snapshot, hostId: twinId } }, fleet);
          if (!twin.ok) throw new Error(JSON.stringify(twin.error));
          const copy = InMemoryFleet.of([]);
          for (const [k, v] of fleet.hosts) copy.hosts.set(k, v);
          for (const [k, v] of fleet.guests) copy.guests.set(k, v);
          copy.position = fleet.position;
          copy.apply(twin.value.event);
          const answer = checkMigration(ctx(copy), guest.guestId, twinId);
          expect(answer.ok && answer.value.findings.filter((f) => f.severity !== 'info')).toEqual([]);
        }
      }),
      { numRuns: 80 },
    );
  });
});

describe('When the fleet is audited', () => {
  it('names guests with at most one destination as stranded, and ranks errors first', () => {
    const fleet = fleetOf([
      { type: 'RecordHostSnapshot', data: aHost({ hostId: 'a' }) },
      { type: 'RecordHostSnapshot', data: aHost({ hostId: 'b' }) },
      { type: 'RecordHostSnapshot', data: aHost({ hostId: 'old', qemu: { version: '5.2.0' } }) },
      { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-1', hostId: 'a' }) },
      { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-2', hostId: 'a', machine: 'pseries-7.2,cap-rpt-invalidate=on', kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'radix_hcall_invalidate=on' } }) },
    ]);
    const report = indexOf(fleet).audit();
    expect(report).toEqual(expect.objectContaining({ guests: 2, hosts: 3, classes: 2 }));
    expect(report.stranded).toEqual([
      { guestId: 'vm-1', hostId: 'a', destinations: 1 },
      { guestId: 'vm-2', hostId: 'a', destinations: 1 },
    ]);
    expect(report.verdict).toBe('warn');
  });
});
