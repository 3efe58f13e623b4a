import { capsOf, hasSubsection } from '@spapr/domain/caps/spapr-caps';
import { qemuVersion } from '@spapr/domain/caps/qemu-version';
import { hostSnapshotSchema } from '@spapr/domain/input/host-snapshot.schema';
import { buildCases, OV5_HASH_XICS, OV5_HASH_XIVE, OV5_RADIX, OV5_RADIX_NOFORM2, QEMU_VERSION, withProbedHosts } from './cases';
import { N01_L1 } from './testing/probe-facts';
import { Case } from './types';

const env = { kernelRelease: '6.1.0-50-powerpc64le', hostKernelRelease: '6.1.0-host', observedAt: '2026-11-25T00:00:00Z' };
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** ov5 property bytes: byte 0 = length − 1 (cas-ov5.md §1.1). */
function wellFormed(hex: string): boolean {
  const b = hex.match(/../g)!.map((x) => parseInt(x, 16));
  return b[0] + 2 === b.length && b[b.length - 1] !== 0;
}

describe('conformance cases', () => {
  const cases: Case[] = buildCases(env);
  it('meets the issue minimums', () => {
    expect(cases.filter((c) => c.kind === 'boot').length).toBeGreaterThanOrEqual(20);
    expect(cases.filter((c) => c.kind === 'migration').length).toBeGreaterThanOrEqual(15);
    expect(cases.filter((c) => c.kind === 'nested').length).toBeGreaterThanOrEqual(12);
  });
  it('has unique, planner-valid IDs', () => {
    const ids = cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of cases) {
      expect(c.id).toMatch(ID);
      const hosts = c.planner.hosts.map((h) => h.hostId);
      for (const h of hosts) expect(h).toMatch(ID);
    }
  });
  it('uses the recorded ov5 vectors of cas-ov5.md §1.2', () => {
    expect(OV5_RADIX).toBe('1900200000a0050000000000000000000000000000008040400040');
    expect(OV5_HASH_XIVE).toBe('1600200000a0050000000000000000000000000000008040');
    expect(OV5_HASH_XICS).toBe('1500200000a00500000000000000000000000000000080');
    expect(OV5_RADIX_NOFORM2).toBe('190020000080050000000000000000000000000000008040400040');
    for (const c of cases) if (c.expected.ov5) expect(wellFormed(c.expected.ov5)).toBe(true);
  });
  it('describes TCG L0 hosts as SPEC §2.1 snapshots without kvm', () => {
    for (const c of cases) {
      const l0 = c.planner.hosts[0];
      expect(l0).toMatchObject({ level: 0, accelerator: 'tcg', qemu: { version: '7.2.0' } });
      expect(l0.kvm).toBeUndefined();
    }
  });
  it('describes nested hosts as the KVM probe inside each hypervisor guest reported them', () => {
    const n = cases.find((c) => c.id === 'N17-three-levels');
    expect(n?.kind).toBe('nested');
    if (n?.kind !== 'nested') return;
    // As built, only the L0: nothing about a level-n host is written by hand.
    expect(n.planner.hosts.map((h) => h.level)).toEqual([0]);
    expect(n.planner.hypervisors).toEqual([
      { level: 1, guestId: 'N17-three-levels-l1', role: 'host' },
      { level: 2, guestId: 'N17-three-levels-l2', role: 'host' },
    ]);
    expect(n.planner.check).toEqual({ verb: 'boot', guestId: 'N17-three-levels-l3', hostId: 'N17-three-levels-l2-host' });
    const levels = [
      { level: 1, kind: 'booted' as const, probe: N01_L1 },
      { level: 2, kind: 'booted' as const, probe: { ...N01_L1, DEC_BITS: 'absent', CPU: 'POWER10 (architected), altivec supported' } },
      { level: 3, kind: 'booted' as const },
    ];
    const { planner, problems } = withProbedHosts(env, n.planner, levels);
    expect(problems).toEqual([]);
    expect(planner.hosts.map((h) => [h.hostId, h.level, h.parentGuestId, h.cpu.model, h.kvm?.decrBits])).toEqual([
      ['tcg-power9', 0, null, 'POWER9', undefined],
      ['N17-three-levels-l1-host', 1, 'N17-three-levels-l1', 'POWER9', 56],
      ['N17-three-levels-l2-host', 2, 'N17-three-levels-l2', 'POWER10', undefined],
    ]);
    expect(planner.hosts[1]).toMatchObject({ accelerator: 'kvm-hv', kernel: { release: '6.1.0-57-powerpc64le', cmdline: 'console=hvc0 quiet' }, kvm: { caps: { KVM_CAP_PPC_MMU_HASH_V3: 0 } } });
    for (const h of planner.hosts) expect(hostSnapshotSchema.safeParse(h).success).toBe(true);
    const blocked = cases.find((c) => c.id === 'N02-l1-no-nested');
    expect(blocked?.planner.check).toEqual({ verb: 'nesting', guestId: 'N02-l1-no-nested-l1' });
  });
  it('makes up no host for a level whose probe is missing or cannot start a VM, and says so', () => {
    const n = cases.find((c) => c.id === 'N17-three-levels');
    if (n?.kind !== 'nested') throw new Error('N17');
    const { planner, problems } = withProbedHosts(env, n.planner, [
      { level: 1, kind: 'booted', probe: N01_L1 },
      { level: 2, kind: 'booted', probe: { ...N01_L1, CREATE_VM: 'error:EINVAL(22)' } },
    ]);
    expect(planner.hosts.map((h) => h.hostId)).toEqual(['tcg-power9', 'N17-three-levels-l1-host']);
    expect(problems).toEqual(['L2 (N17-three-levels-l2) cannot host: KVM_CREATE_VM error:EINVAL(22): no level-2 host snapshot']);
    expect(withProbedHosts(env, n.planner, []).problems).toEqual([
      'L1 (N17-three-levels-l1) ran no KVM probe: no level-1 host snapshot',
      'L2 (N17-three-levels-l2) ran no KVM probe: no level-2 host snapshot',
    ]);
  });
  it('checks the premise of check nesting: the level it asks about must not start a VM', () => {
    const n = cases.find((c) => c.id === 'N18-three-levels-l2-no-nested');
    if (n?.kind !== 'nested') throw new Error('N18');
    expect(n.planner.hypervisors.map((h) => h.role)).toEqual(['host', 'cannot-host']);
    const refused = { ...N01_L1, CREATE_VM: 'error:EINVAL(22)' };
    expect(withProbedHosts(env, n.planner, [{ level: 1, kind: 'booted', probe: N01_L1 }, { level: 2, kind: 'booted', probe: refused }]).problems).toEqual([]);
    expect(withProbedHosts(env, n.planner, [{ level: 1, kind: 'booted', probe: N01_L1 }, { level: 2, kind: 'booted', probe: N01_L1 }]).problems).toEqual([
      'L2 (N18-three-levels-l2-no-nested-l2) is checked as unable to host, but its KVM probe started a VM (kvm-hv)',
    ]);
  });
  it('passes the destination machine/cpu to check migration only when they differ', () => {
    const m = cases.find((c) => c.id === 'M09-p10-to-p9');
    expect(m?.planner.check).toEqual({ verb: 'migration', guestId: 'M09-p10-to-p9', toHostId: 'tcg-power9-dst', cpu: 'POWER9' });
  });
});

describe('a hypervisor level that never runs (N11: the L1 panics)', () => {
  it('asks check boot for that level on its parent, recording nothing inside it', () => {
    const n = buildCases(env).find((c) => c.id === 'N11-l1-gtse-off');
    expect(n?.kind).toBe('nested');
    if (n?.kind !== 'nested') return;
    expect(n.planner.check).toEqual({ verb: 'boot', guestId: 'N11-l1-gtse-off-l1', hostId: 'tcg-power9' });
    expect(n.planner.hosts.map((h) => h.hostId)).toEqual(['tcg-power9']);
    expect(n.planner.hypervisors).toEqual([]);
    expect(withProbedHosts(env, n.planner, [{ level: 1, kind: 'guest-panic' }])).toEqual({ planner: n.planner, problems: [] });
    expect(n.planner.guests.map((g) => g.guestId)).toEqual(['N11-l1-gtse-off-l1']);
  });
});

describe('TCG L0 snapshots for -cpu models SPEC §2.1 does not list', () => {
  it('describe the L0 as a POWER9 TCG host and keep the model in the guest', () => {
    const c = buildCases(env).find((x) => x.id === 'B31-970fx');
    expect(c?.planner.hosts[0]).toMatchObject({ hostId: 'tcg-power9', cpu: { model: 'POWER9' } });
    expect(c?.kind === 'boot' && c.planner.guest.cpu).toBe('970fx');
  });
});

describe('migration cap directions (spapr_caps_post_migration: incoming higher fails, lower warns)', () => {
  type Direction = 'higher' | 'lower';
  const cases = buildCases(env);
  const qemu = qemuVersion(QEMU_VERSION);
  const migratable = capsOf(qemu).filter((c) => hasSubsection(c, qemu)).map((c) => c.name);
  /** Directions no migration under a TCG L0 can run (conformance/README.md), each with the case that shows why. */
  const CANNOT_RUN: Record<string, { directions: Direction[]; shownBy: string; text: string }> = {
    htm: { directions: ['higher', 'lower'], shownBy: 'B17-p9-htm-on', text: 'No Transactional Memory support in TCG' },
    'rpt-invalidate': { directions: ['higher', 'lower'], shownBy: 'B06-p9-rpti-tcg', text: 'No H_RPT_INVALIDATE support in TCG' },
    vsx: { directions: ['lower'], shownBy: 'B36-p9-vsx-off', text: 'Attempted to kill init!' },
  };
  /** `cap-<name> higher|lower` → the migration cases that expect it. */
  const byDirection = new Map<string, Case[]>();
  for (const c of cases) {
    const m = c.kind === 'migration' ? /^cap-(\S+) (higher|lower) level/.exec(c.expected.message ?? '') : null;
    if (m) byDirection.set(`${m[1]} ${m[2]}`, [...(byDirection.get(`${m[1]} ${m[2]}`) ?? []), c]);
  }
  const directions = (cap: string): Direction[] => (['higher', 'lower'] as const).filter((d) => !CANNOT_RUN[cap]?.directions.includes(d));

  it(`has a case in each direction for every cap QEMU ${QEMU_VERSION} migrates, except those the TCG L0 cannot run`, () => {
    expect(migratable).toHaveLength(12);
    const missing = migratable.flatMap((cap) => directions(cap).map((d) => `${cap} ${d}`)).filter((key) => !byDirection.has(key));
    expect(missing).toEqual([]);
  });
  it('expects a failure when the incoming level is higher and a warning when it is lower', () => {
    for (const [key, cs] of byDirection) {
      const kind = key.endsWith(' higher') ? 'migration-failed' : 'migration-completed-with-warning';
      for (const c of cs) expect({ id: c.id, kind: c.expected.kind }).toEqual({ id: c.id, kind });
    }
  });
  it('names, for each direction it cannot run, the case that shows why, and has no migration case for it', () => {
    for (const [cap, { directions: ds, shownBy, text }] of Object.entries(CANNOT_RUN)) {
      expect(migratable).toContain(cap);
      expect(cases.find((c) => c.id === shownBy)?.expected.message).toContain(text);
      for (const d of ds) expect(byDirection.get(`${cap} ${d}`)).toBeUndefined();
    }
  });
});
