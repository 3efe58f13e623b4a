import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, runCli, tempDir, writeGuestSpec } from './e2e-harness';

/**
 * `simulate` on the seed scenario (examples/fleet.jsonl: L0 p9-r1-07, L1 guest and host `l1-hv` booted
 * radix_hcall_invalidate=on, so GTSE=0): the simulation confirms what `check boot` says.
 */
describe('When an L2 boot is simulated inside the L1 that negotiated GTSE=0', () => {
  const dir = tempDir();
  const db = join(dir, 'planner.db');
  const spec = (name: string, machine: string, cmdline: string) => writeGuestSpec(dir, name, machine, cmdline);
  beforeAll(() => expect(runCli(db, ['import', join(REPO, 'examples/fleet.jsonl')]).code).toBe(0));

  it('a default L2 crashes on its first global tlbie: outcome first, exit 1', () => {
    const run = runCli(db, ['simulate', '--guest-spec', spec('default', 'pseries-7.2', 'console=hvc0'), '--host', 'l1-hv']);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[0]).toMatch(/^✗ guest-crash {2}boot pseries-7\.2 \(-cpu host\) on l1-hv: L2 thread \d crashed on `tlbie RIC=\d PRS=1 R=1/);
    expect(run.stdout).toMatch(/LPCR .*GTSE=0 \(L2 registered GTSE=1 with L1; L0 load_l2_hv_regs keeps L1's GTSE=0/);
    expect(run.stdout).toMatch(/interrupt 0xe40: HEAI/);
  });

  it('with radix_hcall_invalidate=on and cap-rpt-invalidate=on the workload runs to the end: ok, exit 0', () => {
    const run = runCli(db, ['simulate', '--guest-spec', spec('hcall', 'pseries-7.2,cap-rpt-invalidate=on', 'console=hvc0 radix_hcall_invalidate=on'), '--host', 'l1-hv']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/^✓ ok {2}boot pseries-7\.2,cap-rpt-invalidate=on/);
    expect(run.stdout).toMatch(/trace: \d+ event\(s\), 200 of 200 workload step\(s\)/);
  });

  it('--json carries the plan, the outcome with the faulting instruction, and the whole trace; the same seed gives the same trace', () => {
    const args = ['--json', 'simulate', '--guest-spec', spec('json', 'pseries-7.2', 'console=hvc0'), '--host', 'l1-hv', '--steps', '60', '--seed', '7'];
    const [a, b] = [runCli(db, args), runCli(db, args)];
    const answer = JSON.parse(a.stdout);
    expect(answer).toEqual(
      expect.objectContaining({
        question: { kind: 'boot', hostId: 'l1-hv', machine: 'pseries-7.2', cpu: 'host' },
        plan: expect.objectContaining({ kind: 'boot', workload: { seed: 7, steps: 60 }, host: expect.objectContaining({ level: 1, parent: expect.objectContaining({ guest: expect.objectContaining({ name: 'l1-hv', cmdline: { radixHcallInvalidate: true, disableRadix: false } }), bootedOn: expect.objectContaining({ name: 'p9-r1-07', level: 0 }) }) }) }),
        outcome: expect.objectContaining({ kind: 'guest-crash', level: 'L2', instruction: expect.objectContaining({ mnemonic: 'tlbie' }) }),
        position: 18,
        hypothetical: 0,
      }),
    );
    // The L1's GTSE comes from the simulation booting the L1 itself, not from the rules' contract.
    expect(answer.trace.map((r: { event: unknown }) => r.event)).toContainEqual(expect.objectContaining({ type: 'lpcr', level: 'L2', gtse: false }));
    expect(b.stdout).toBe(a.stdout);
  });

  it('simulates a live migration of a running guest into the GTSE=0 L1: it crashes there (exit 1)', () => {
    const run = runCli(db, ['--json', 'simulate', '--guest', 'vm-web-01', '--to', 'l1-hv']);
    expect(run.code).toBe(1);
    const answer = JSON.parse(run.stdout);
    expect(answer.question).toEqual({ kind: 'migration', guestId: 'vm-web-01', fromHostId: 'p9-r1-07', toHostId: 'l1-hv' });
    expect(answer.trace.map((r: { event: { type: string } }) => r.event.type)).toContain('migrated');
    expect(answer.outcome.kind).toBe('guest-crash');
  });

  it('exits 2 naming the field for an unknown host, and for a question that is neither a boot nor a migration', () => {
    const unknown = runCli(db, ['--json', 'simulate', '--guest-spec', spec('x', 'pseries-7.2', ''), '--host', 'nowhere']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toEqual({ error: 'bad-input', errors: [{ field: 'host', reason: expect.stringMatching(/unknown host nowhere/) }] });
    expect(runCli(db, ['simulate', '--guest', 'vm-web-01']).code).toBe(2);
    expect(runCli(db, ['simulate', '--guest', 'vm-web-01', '--to', 'l1-hv', '--steps', '0']).code).toBe(2);
  });

  it('answers as of an earlier position and under what-if, recording nothing', () => {
    const early = runCli(db, ['--json', 'simulate', '--guest-spec', spec('early', 'pseries-7.2', 'console=hvc0'), '--host', 'l1-hv', '--as-of', '#12']);
    expect(early.code).toBe(2);
    expect(JSON.parse(early.stdout).errors[0]).toEqual({ field: 'host', reason: expect.stringMatching(/unknown host l1-hv/) });
    // The 2022 proposal on l1-hv: its QEMU withholds GTSE, so the default L2 negotiates GTSE=0 without H_RPT_INVALIDATE and panics.
    const hosts = JSON.parse(runCli(db, ['--json', 'hosts']).stdout) as { host: { hostId: string; snapshot: Record<string, unknown> & { kvm: { caps: object } } } }[];
    const snapshot = hosts.find((h) => h.host.hostId === 'l1-hv')!.host.snapshot;
    const proposal = join(dir, 'proposal.jsonl');
    writeFileSync(proposal, `${JSON.stringify({ command: 'RecordHostSnapshot', data: { ...snapshot, observedAt: '2026-11-24T12:00:00Z', qemu: { version: '7.2.0', gtseFromKvm: true }, kvm: { ...snapshot.kvm, caps: { ...snapshot.kvm.caps, KVM_CAP_PPC_GTSE: 2 } } } })}\n`);
    const before = JSON.parse(runCli(db, ['--json', 'verify']).stdout).events;
    const run = runCli(db, ['--json', 'what-if', proposal, 'simulate', '--guest-spec', spec('proposal', 'pseries-7.2', 'console=hvc0'), '--host', 'l1-hv']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual(expect.objectContaining({ outcome: { kind: 'guest-panic', level: 'L2', message: 'BUG: Radix support requires either GTSE or RPT_INVALIDATE' }, hypothetical: 1 }));
    expect(JSON.parse(runCli(db, ['--json', 'verify']).stdout).events).toBe(before);
  });

  it('prints help with an example', () => {
    const run = runCli(db, ['simulate', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Example:\n {2}spapr-planner simulate /);
  });
});
