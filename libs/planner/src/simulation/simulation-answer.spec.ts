import { aBoot, aHost, aNestedHost } from '@spapr/domain/testing/fleet-fixtures';
import type { InMemoryFleet } from '@spapr/domain';
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

  it('says so when CAS on its current host would give another contract than the one it runs with', () => {
    // Booted GTSE=1 on a host offering GTSE, then moved (recorded) to one whose QEMU withholds it.
    const withheld = aHost({ hostId: 'l0-nogtse', qemu: { version: '7.2.0', gtseFromKvm: true }, kvm: { ...L0.kvm!, caps: { ...L0.kvm!.caps, KVM_CAP_PPC_GTSE: 2 } } });
    const fleet = fleetOf([
      { type: 'RecordHostSnapshot', data: L0 },
      { type: 'RecordHostSnapshot', data: withheld },
      { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-1', hostId: 'l0-p9', machine: 'pseries-7.2,cap-rpt-invalidate=on' }) },
      { type: 'RecordGuestMigration', data: { guestId: 'vm-1', toHostId: 'l0-nogtse', at: '2026-11-24T11:00:00Z' } },
    ]);
    const a = answer(simulateMigration(ctx(fleet), 'vm-1', 'l0-p9', { seed: 1, steps: 20 }));
    expect(a.notes).toEqual([expect.stringContaining('CAS on l0-nogtse gives mmu=radix gtse=0, but vm-1 runs with the mmu=radix gtse=1')]);
  });
});
