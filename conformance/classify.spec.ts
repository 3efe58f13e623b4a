import { classifyBoot, classifyMigration, classifyNested, compare, findPanic, segmentLevels, splitStderr } from './classify';

const BOOT_OK = [
  'Booting Linux via __start() @ 0x0000000000400000 ...',
  'Linux ppc64le',
  '#1 SMP Debian 6.CONFORMANCE[L1] OV5: 1900200000a0050000000000000000000000000000008040400040',
  'CONFORMANCE[L1] MMU: Radix',
  'CONFORMANCE[L1] USERSPACE-UP',
  '[    0.896612] reboot: Power down',
].join('\n');

const TCG_WARN = [
  "qemu-system-ppc64: warning: TCG doesn't support requested feature, cap-cfpc=workaround",
  "qemu-system-ppc64: warning: TCG doesn't support requested feature, cap-ccf-assist=on",
].join('\n');

describe('segmentLevels', () => {
  it('finds markers in the middle of a console line', () => {
    const l = segmentLevels(BOOT_OK).get(1)!;
    expect(l.markers.OV5).toBe('1900200000a0050000000000000000000000000000008040400040');
    expect(l.markers.MMU).toBe('Radix');
    expect(l.console).toContain('#1 SMP Debian 6.');
  });

  it('attributes the nested guest console and its QEMU stderr to the next level', () => {
    const text = [
      'CONFORMANCE[L1] OV5: aa',
      'CONFORMANCE[L1] MMU: Radix',
      'CONFORMANCE[L1] INSMOD kvm-hv: failed: insmod: can\'t insert',
      'CONFORMANCE[L1] RUNVM: -machine pseries -cpu host -m 1G -append ',
      '[    3.1] Kernel panic - not syncing: BUG: Radix support requires either GTSE or RPT_INVALIDATE',
      'CONFORMANCE[L1] QEMU-STDERR: qemu-system-ppc64: HPT not supported in nested guests',
      'CONFORMANCE[L1] QEMU-DONE',
      'CONFORMANCE[L1] HV-DONE',
    ].join('\n');
    const lv = segmentLevels(text, TCG_WARN);
    expect(lv.get(1)!.stderr).toHaveLength(2);
    expect(lv.get(1)!.events).toContain("INSMOD kvm-hv: failed: insmod: can't insert");
    expect(lv.get(2)!.stderr).toEqual(['qemu-system-ppc64: HPT not supported in nested guests']);
    expect(findPanic(lv.get(2)!.console)).toBe('BUG: Radix support requires either GTSE or RPT_INVALIDATE');
    expect(findPanic(lv.get(1)!.console)).toBeUndefined();
  });
});

describe('splitStderr', () => {
  it('separates warnings from errors and strips the program prefix', () => {
    const r = splitStderr(['qemu-system-ppc64: warning: x', 'qemu-system-ppc64: No H_RPT_INVALIDATE support in TCG', 'Try appending -machine cap-rpt-invalidate=off']);
    expect(r.warnings).toEqual(['x']);
    expect(r.errors).toEqual(['No H_RPT_INVALIDATE support in TCG', 'Try appending -machine cap-rpt-invalidate=off']);
  });
});

describe('classifyBoot', () => {
  it('booted with ov5 and mmu, keeping the TCG warnings', () => {
    const o = classifyBoot({ level: segmentLevels(BOOT_OK, TCG_WARN).get(1)!, timedOut: false, exitCode: 0 });
    expect(o).toMatchObject({ kind: 'booted', mmu: 'radix', ov5: '1900200000a0050000000000000000000000000000008040400040' });
    expect(o.warnings).toHaveLength(2);
  });
  it('guest panic', () => {
    const text = 'Linux ppc64le\n[    0.5] Kernel panic - not syncing: BUG: Radix support requires either GTSE or RPT_INVALIDATE\n';
    const o = classifyBoot({ level: segmentLevels(text).get(1)!, timedOut: false, exitCode: 0 });
    expect(o).toMatchObject({ kind: 'guest-panic', message: 'BUG: Radix support requires either GTSE or RPT_INVALIDATE' });
  });
  it('qemu refused', () => {
    const o = classifyBoot({ level: segmentLevels('', 'qemu-system-ppc64: No H_RPT_INVALIDATE support in TCG\n').get(1)!, timedOut: false, exitCode: 1 });
    expect(o).toMatchObject({ kind: 'qemu-refused', message: 'No H_RPT_INVALIDATE support in TCG' });
  });
  it('qemu crashed on an assertion after the guest started', () => {
    const err = "qemu-system-ppc64: ../../hw/ppc/spapr_hcall.c:1387: h_get_cpu_characteristics: Assertion `safe_indirect_branch == SPAPR_CAP_BROKEN' failed.\n";
    const o = classifyBoot({ level: segmentLevels('Booting Linux', err).get(1)!, timedOut: false, exitCode: null, signal: 'SIGABRT' });
    expect(o.kind).toBe('qemu-crashed');
    expect(o.message).toContain('h_get_cpu_characteristics: Assertion');
  });
  it('timeout when nothing is recognisable', () => {
    const o = classifyBoot({ level: segmentLevels('SLOF ...').get(1)!, timedOut: true, exitCode: null });
    expect(o.kind).toBe('timeout');
  });
});

describe('the KVM probe lines (guest/kvm-probe.c)', () => {
  const text = [
    'CONFORMANCE[L1] OV5: 19', 'CONFORMANCE[L1] MMU: Radix', 'CONFORMANCE[L1] INSMOD kvm-hv: ok',
    'CONFORMANCE[L1] KVM PROBE_VERSION=1', 'CONFORMANCE[L1] KVM CPU=POWER9 (architected), altivec supported', 'CONFORMANCE[L1] KVM DEC_BITS=56',
    'CONFORMANCE[L1] RUNVM: x',
    'CONFORMANCE[L2] OV5: 19', 'CONFORMANCE[L2] MMU: Radix',
    'CONFORMANCE[L2] KVM PROBE_VERSION=1', 'CONFORMANCE[L2] KVM CREATE_VM=error:EINVAL(22)',
    'CONFORMANCE[L2] RUNVM: y',
    'CONFORMANCE[L3] OV5: 1900200000a0050000000000000000000000000000008040400040', 'CONFORMANCE[L3] MMU: Radix',
    'CONFORMANCE[L2] QEMU-DONE', 'CONFORMANCE[L1] QEMU-DONE',
  ].join('\n');
  it('are kept per level as NAME → value, out of the events', () => {
    const lv = segmentLevels(text);
    expect(lv.get(1)!.probe).toEqual({ PROBE_VERSION: '1', CPU: 'POWER9 (architected), altivec supported', DEC_BITS: '56' });
    expect(lv.get(2)!.probe).toEqual({ PROBE_VERSION: '1', CREATE_VM: 'error:EINVAL(22)' });
    expect(lv.get(3)!.probe).toEqual({});
    expect(lv.get(1)!.events.some((e) => e.startsWith('KVM'))).toBe(false);
  });
  it('travel with each level of a nested outcome (observations.json)', () => {
    const o = classifyNested(text, '', 3, false, 0);
    expect(o.levels?.map((l) => l.probe)).toEqual([{ PROBE_VERSION: '1', CPU: 'POWER9 (architected), altivec supported', DEC_BITS: '56' }, { PROBE_VERSION: '1', CREATE_VM: 'error:EINVAL(22)' }, undefined]);
  });
});

describe('classifyNested', () => {
  it('reports the deepest level that ran', () => {
    const text = [
      'CONFORMANCE[L1] OV5: 19', 'CONFORMANCE[L1] MMU: Radix', 'CONFORMANCE[L1] RUNVM: x',
      'CONFORMANCE[L2] OV5: 1900200000a0050000000000000000000000000000008040400040', 'CONFORMANCE[L2] MMU: Radix',
      'CONFORMANCE[L1] QEMU-DONE',
    ].join('\n');
    const o = classifyNested(text, '', 2, false, 0);
    expect(o).toMatchObject({ kind: 'booted', mmu: 'radix', level: 2 });
  });
});

describe('classifyMigration', () => {
  const src = { level: segmentLevels(BOOT_OK).get(1)!, timedOut: false, exitCode: null };
  const base = { src, dstStartupStderr: [], dstStarted: true, dstStderr: [], dstExitCode: null, dstConsole: ['CONFORMANCE[L1] TICK 7'] };
  it('completed', () => {
    expect(classifyMigration({ ...base, srcStatus: 'completed', dstStatus: 'running' }).kind).toBe('migration-completed');
  });
  it('completed with a warning', () => {
    const o = classifyMigration({ ...base, srcStatus: 'completed', dstStatus: 'running', dstStderr: ['qemu-system-ppc64: warning: cap-large-decr lower level (0) in incoming stream than on destination (1)'] });
    expect(o).toMatchObject({ kind: 'migration-completed-with-warning', message: 'cap-large-decr lower level (0) in incoming stream than on destination (1)' });
  });
  it('failed on the destination even though the source completed', () => {
    const o = classifyMigration({
      ...base,
      srcStatus: 'completed',
      dstExitCode: 1,
      dstStderr: ['qemu-system-ppc64: cap-large-decr higher level (1) in incoming stream than on destination (0)', 'qemu-system-ppc64: load of migration failed: Invalid argument'],
    });
    expect(o.kind).toBe('migration-failed');
    expect(o.message).toContain('cap-large-decr higher level (1)');
  });
  it('destination that does not start', () => {
    const o = classifyMigration({ ...base, dstStarted: false, dstStartupStderr: ['qemu-system-ppc64: No H_RPT_INVALIDATE support in TCG'] });
    expect(o).toMatchObject({ kind: 'migration-failed', message: 'destination refused to start: No H_RPT_INVALIDATE support in TCG' });
  });
});

describe('compare', () => {
  it('matches kind, ov5 and message substring', () => {
    const exp = { kind: 'qemu-refused' as const, message: 'No H_RPT', verdict: 'unsafe' as const, rules: [], source: '' };
    expect(compare(exp, { kind: 'qemu-refused', message: 'No H_RPT_INVALIDATE support in TCG', warnings: [], details: [] })).toBeUndefined();
    expect(compare(exp, { kind: 'booted', warnings: [], details: [] })).toMatch(/expected qemu-refused/);
  });
});
