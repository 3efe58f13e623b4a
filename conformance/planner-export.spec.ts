import { buildCases, withProbedHosts } from './cases';
import { plannerFiles } from './planner-export';
import { N01_L1 } from './testing/probe-facts';
import { Case, Observation, Outcome } from './types';

const env = { kernelRelease: '6.1.0-50-powerpc64le', hostKernelRelease: '6.1.0-host', observedAt: '2026-11-25T00:00:00Z' };
const cases = buildCases(env);
const RADIX = '1900200000a0050000000000000000000000000000008040400040';

function obs(c: Case, observed: Outcome): Observation {
  return { id: c.id, kind: c.kind, title: c.title, expected: c.expected, observed, agrees: true, seconds: 1, logs: [], planner: c.planner };
}
const byId = (id: string): Case => cases.find((c) => c.id === id)!;
const parse = (jsonl: string): Array<{ command: string; data: Record<string, unknown> }> =>
  jsonl.trim().split('\n').map((l) => JSON.parse(l) as { command: string; data: Record<string, unknown> });

describe('plannerFiles', () => {
  it('boot: host snapshot, guest spec, check args and the observed boot', () => {
    const f = plannerFiles(obs(byId('B01-p9-default'), { kind: 'booted', mmu: 'radix', ov5: RADIX, warnings: [], details: [] }));
    expect(parse(f['record.jsonl']).map((r) => r.command)).toEqual(['RecordHostSnapshot']);
    expect(JSON.parse(f['guest-spec.json'])).not.toHaveProperty('at');
    expect(f['check.args'].trim().split('\n')).toEqual(['check', 'boot', '--guest-spec', 'guest-spec.json', '--host', 'tcg-power9']);
    expect(parse(f['observed-boot.jsonl'])[0].data).toMatchObject({ observed: { ov5: RADIX, mmu: 'radix' } });
  });
  it('migration: both hosts, the source boot with its contract, then check migration', () => {
    const f = plannerFiles(obs(byId('M09-p10-to-p9'), { kind: 'migration-failed', mmu: 'radix', ov5: RADIX, warnings: [], details: [] }));
    const r = parse(f['record.jsonl']);
    expect(r.map((x) => x.command)).toEqual(['RecordHostSnapshot', 'RecordHostSnapshot', 'RecordGuestBoot']);
    expect(r[2].data).toMatchObject({ guestId: 'M09-p10-to-p9', hostId: 'tcg-power10', observed: { mmu: 'radix' } });
    expect(f['check.args']).toContain('--cpu\nPOWER9');
  });
  it('nested: L0, L1 boot, L1 host (as its probe reported it), ... in time order', () => {
    const levels = [
      { level: 1, kind: 'booted' as const, mmu: 'radix' as const, ov5: RADIX, probe: N01_L1 },
      { level: 2, kind: 'booted' as const, mmu: 'radix' as const, ov5: RADIX, probe: N01_L1 },
    ];
    const c = byId('N17-three-levels');
    if (c.kind !== 'nested') throw new Error('N17');
    const o = { ...obs(c, { kind: 'booted', mmu: 'radix', ov5: RADIX, warnings: [], details: [], levels }), planner: withProbedHosts(env, c.planner, levels).planner };
    const f = plannerFiles(o);
    const r = parse(f['record.jsonl']);
    expect(r.map((x) => x.command)).toEqual(['RecordHostSnapshot', 'RecordGuestBoot', 'RecordHostSnapshot', 'RecordGuestBoot', 'RecordHostSnapshot']);
    expect(r.map((x) => x.data.hostId)).toEqual(['tcg-power9', 'tcg-power9', 'N17-three-levels-l1-host', 'N17-three-levels-l1-host', 'N17-three-levels-l2-host']);
    expect(r[2].data).toMatchObject({ kvm: { mitigations: { cfpc: 'workaround' }, decrBits: 56 } });
    const times = r.map((x) => String(x.data.observedAt ?? x.data.at));
    expect([...times].sort()).toEqual(times);
    expect(f['check.args']).toContain('N17-three-levels-l2-host');
  });
  it('nested, a host level without its probe: its snapshot is left out, never made up', () => {
    const c = byId('N17-three-levels');
    if (c.kind !== 'nested') throw new Error('N17');
    const levels = [{ level: 1, kind: 'booted' as const, mmu: 'radix' as const, ov5: RADIX }, { level: 2, kind: 'booted' as const, mmu: 'radix' as const, ov5: RADIX, probe: N01_L1 }];
    const o = { ...obs(c, { kind: 'booted', mmu: 'radix', ov5: RADIX, warnings: [], details: [], levels }), planner: withProbedHosts(env, c.planner, levels).planner };
    const r = parse(plannerFiles(o)['record.jsonl']);
    expect(r.filter((x) => x.command === 'RecordHostSnapshot').map((x) => x.data.hostId)).toEqual(['tcg-power9', 'N17-three-levels-l2-host']);
  });
  it('nested migration: the L1 host and its twin as the destination, the L2 boot with its contract, then check migration', () => {
    const levels = [
      { level: 1, kind: 'booted' as const, mmu: 'radix' as const, ov5: RADIX, probe: N01_L1 },
      { level: 2, kind: 'migration-completed-with-warning' as const, mmu: 'radix' as const, ov5: RADIX },
    ];
    const c = byId('N27-l2-migrate-dfp-off-on');
    if (c.kind !== 'nested') throw new Error('N27');
    const o = { ...obs(c, { kind: 'migration-completed-with-warning', mmu: 'radix', ov5: RADIX, warnings: [], details: [], levels }), planner: withProbedHosts(env, c.planner, levels).planner };
    const f = plannerFiles(o);
    const r = parse(f['record.jsonl']);
    expect(r.map((x) => [x.command, x.data.hostId])).toEqual([
      ['RecordHostSnapshot', 'tcg-power9'],
      ['RecordGuestBoot', 'tcg-power9'],
      ['RecordHostSnapshot', 'N27-l2-migrate-dfp-off-on-l1-host'],
      ['RecordHostSnapshot', 'N27-l2-migrate-dfp-off-on-l1-host-dst'],
      ['RecordGuestBoot', 'N27-l2-migrate-dfp-off-on-l1-host'],
    ]);
    expect(r[4].data).toMatchObject({ machine: 'pseries,cap-dfp=off', observed: { ov5: RADIX, mmu: 'radix' } });
    expect({ ...r[3].data, hostId: null }).toEqual({ ...r[2].data, hostId: null, observedAt: r[3].data.observedAt });
    expect(f['check.args'].trim().split('\n')).toEqual(['check', 'migration', '--guest', 'N27-l2-migrate-dfp-off-on-l2', '--to', 'N27-l2-migrate-dfp-off-on-l1-host-dst', '--machine', 'pseries']);
  });
  it('nested, parent cannot host: check nesting on it', () => {
    const f = plannerFiles(obs(byId('N02-l1-no-nested'), { kind: 'qemu-refused', warnings: [], details: [] }));
    expect(f['check.args'].trim().split('\n')).toEqual(['check', 'nesting', '--guest', 'N02-l1-no-nested-l1']);
    expect(parse(f['record.jsonl']).map((x) => x.command)).toEqual(['RecordHostSnapshot', 'RecordGuestBoot']);
  });
});
