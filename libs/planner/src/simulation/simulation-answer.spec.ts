import { aBoot, aHost, aNestedHost } from '@spapr/domain/testing/fleet-fixtures';
import type { FleetCommand, InMemoryFleet } from '@spapr/domain';
import { simulateBoot, simulateMigration } from './simulation-answer';
import { fleetOf } from './testing/differential';

const L0 = aHost({ hostId: 'l0-p9' });
const L1_BOOT = aBoot({ guestId: 'vm-l1', hostId: 'l0-p9', machine: 'pseries-7.2,cap-nested-hv=on,cap-rpt-invalidate=on', kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'console=hvc0 radix_hcall_invalidate=on' } });
const seedFleet = () => fleetOf([{ type: 'RecordHostSnapshot', data: L0 }, { type: 'RecordGuestBoot', data: L1_BOOT }, { type: 'RecordHostSnapshot', data: aNestedHost({ hostId: 'l1-hv', parentGuestId: 'vm-l1' }) }]);
const ctx = (view: InMemoryFleet) => ({ view, position: view.position, now: '2026-11-24T12:00:00Z' });
const l2 = (machine: string, cmdline: string) => ({ machine, cpu: 'host', kernel: { release: '6.1.0-50-powerpc64le', cmdline } });
const answer = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

describe('When an L2 is simulated inside an L1 that registered GTSE=0 (the seed scenario)', () => {
  it('a default L2 crashes on its first global tlbie, delivered through L0 and L1', () => {
    const a = answer(simulateBoot(ctx(seedFleet()), 'l1-hv', l2('pseries-7.2', 'console=hvc0')));
    expect(a.outcome).toMatchObject({ kind: 'guest-crash', level: 'L2', instruction: { mnemonic: 'tlbie' } });
    expect(a.question).toEqual({ kind: 'boot', hostId: 'l1-hv', machine: 'pseries-7.2', cpu: 'host' });
    expect(a.position).toBe(3);
  });

  it('an L2 with radix_hcall_invalidate=on and cap-rpt-invalidate=on runs its workload: ok', () => {
    const a = answer(simulateBoot(ctx(seedFleet()), 'l1-hv', l2('pseries-7.2,cap-rpt-invalidate=on', 'console=hvc0 radix_hcall_invalidate=on')));
    expect(a).toMatchObject({ outcome: { kind: 'ok' }, steps: 200, notes: [] });
  });

  it('refuses a spec that names another host', () => {
    expect(simulateBoot(ctx(seedFleet()), 'l1-hv', { ...l2('pseries-7.2', ''), hostId: 'l0-p9' })).toMatchObject({ ok: false, error: [{ field: 'hostId' }] });
  });
});

describe('When a running guest is simulated migrating', () => {
  it('replays its boot on its current host, then the move', () => {
    const fleet = fleetOf([{ type: 'RecordHostSnapshot', data: L0 }, { type: 'RecordHostSnapshot', data: aHost({ hostId: 'l0-twin' }) }, { type: 'RecordGuestBoot', data: L1_BOOT }]);
    const a = answer(simulateMigration(ctx(fleet), 'vm-l1', 'l0-twin', { seed: 4, steps: 60 }));
    expect(a).toMatchObject({ question: { kind: 'migration', guestId: 'vm-l1', fromHostId: 'l0-p9', toHostId: 'l0-twin' }, outcome: { kind: 'ok' }, notes: [] });
    expect(a.trace.map((r) => r.event.type)).toContain('migrated');
  });

  it('replays it from the host where it last booted, as that host was then, and says so', () => {
    const commands: FleetCommand[] = [
      { type: 'RecordHostSnapshot', data: L0 },
      { type: 'RecordHostSnapshot', data: aHost({ hostId: 'l0-twin' }) },
      { type: 'RecordHostSnapshot', data: aHost({ hostId: 'l0-third' }) },
      { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-1', hostId: 'l0-p9' }) },
      { type: 'RecordGuestMigration', data: { guestId: 'vm-1', toHostId: 'l0-twin', at: '2026-11-24T11:00:00Z' } },
    ];
    const a = answer(simulateMigration(ctx(fleetOf(commands)), 'vm-1', 'l0-third', { seed: 1, steps: 20 }, (position) => fleetOf(commands.slice(0, position))));
    expect(a).toMatchObject({ question: { fromHostId: 'l0-twin', toHostId: 'l0-third' }, plan: { from: { name: 'l0-p9' } }, outcome: { kind: 'ok' } });
    expect(a.notes).toEqual(['replayed from its last boot on l0-p9 (#4); the recorded moves since kept its contract and LPCR']);
  });

  it('follows the contract it was observed to run with where the modelled CAS would give another, and says so', () => {
    // Observed ov5: radix without GTSE (byte 26 absent), where the model predicts GTSE=1.
    const observed = { ov5: '1700200000a005000000000000000000000000000000804040' };
    const fleet = fleetOf([
      { type: 'RecordHostSnapshot', data: L0 },
      { type: 'RecordHostSnapshot', data: aHost({ hostId: 'l0-twin' }) },
      { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-1', hostId: 'l0-p9', machine: 'pseries-7.2,cap-rpt-invalidate=on', observed }) },
    ]);
    const a = answer(simulateMigration(ctx(fleet), 'vm-1', 'l0-twin', { seed: 1, steps: 20 }));
    expect(a.notes).toEqual(['CAS on l0-p9 takes the mmu=radix gtse=0 observed at its last boot (its recorded ov5), whatever the model would negotiate']);
    expect(a.trace.map((r) => r.event)).toContainEqual(expect.objectContaining({ type: 'cas', requested: { radix: true, gtse: true }, negotiated: { mmu: 'radix', gtse: false } }));
    expect(a.outcome).toEqual({ kind: 'ok' });
  });
});
