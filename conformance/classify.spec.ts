import {
  classifyBoot,
  classifyMigration,
  classifyNested,
  classifyNestedMigration,
  compare,
  describeStall,
  findPanic,
  LOST_TIMER_INTERRUPT,
  observedVerdict,
  parseRegisters,
  segmentLevels,
  splitStderr,
  tickNumbers,
} from './classify';

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
  const base = { src, dstStartupStderr: [], dstStarted: true, dstStderr: [], dstExitCode: null, dstConsole: ['CONFORMANCE[L1] TICK 7', 'CONFORMANCE[L1] TICK 8'] };
  it('completed: the guest ticks on the destination, counting on from the source', () => {
    const o = classifyMigration({ ...base, srcStatus: 'completed', dstStatus: 'running', srcLastTick: 6, liveWindowSeconds: 5, firstTickSeconds: 0.4 });
    expect(o.kind).toBe('migration-completed');
    expect(o.details).toContain("guest ticks on destination after switch-over: 2 in 5 s (TICK 7..8; source's last TICK 6; first 0.4 s after the switch-over)");
    expect(observedVerdict(o)).toBe('safe');
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
  // QEMU 7.2 `info registers` of a destination after an incoming TCG migration (M01-same, M06), abridged.
  const REGS = (tb: string, decr: string, lpcr = '0000000003d3f408'): string =>
    `\r\nCPU#0\r\nNIP c0000000000e1230   LR c000000000a75e68 CTR c000000000a75d40 XER 0000000000000078 CPU#0\r\n` +
    `MSR 800000000280b033 HID0 0000000000000000  HF 2680203d iidx 1 didx 1\r\nTB 00000001 ${tb} DECR ${decr}\r\n` +
    `GPR00 0000000044000888 c0000000026afca0 c000000001158100 0000000000000000\r\n CFAR c000000000a75e64\r\n LPCR ${lpcr}\r\n`;
  const stalled = {
    ...base,
    srcStatus: 'completed',
    dstStatus: 'running',
    srcLastTick: 1,
    liveWindowSeconds: 5,
    dstConsole: [],
    dstRegisters: [REGS('5966262245', '18446744072038257827'), REGS('6223207940', '18446744071781312130')],
    dstConsoleAfterInput: ['CONFORMANCE[L1] TICK 2', 'CONFORMANCE[L1] TICK 3'],
  };
  it('parses NIP, MSR[EE], TB, LPCR[LD] and DECR at its width', () => {
    expect(parseRegisters(REGS('6223207940', '18446744071781312130'))).toEqual({ nip: 'c0000000000e1230', ee: true, tb: 6223207940n, largeDecr: true, decr: -1928239486n });
    // M06: the source had no large decrementer (LPCR[LD]=0): a 32-bit DECR, printed as a uint32.
    expect(parseRegisters(REGS('6246902826', '2343032263', '0000000003d1f408'))).toMatchObject({ largeDecr: false, decr: -1951935033n });
    expect(parseRegisters('no registers')).toBeUndefined();
    expect(describeStall([REGS('1', '5')])).toBeUndefined();
  });
  it('stalled: QEMU completed and the destination runs, but the guest does not tick there', () => {
    const o = classifyMigration(stalled);
    expect(o).toMatchObject({ kind: 'migration-completed-guest-stalled', message: 'guest stalled on the destination: 0 ticks in 5 s after the switch-over' });
    expect(o.details).toEqual([
      'source booted radix ov5=1900200000a0050000000000000000000000000000008040400040',
      'source migrate status: completed',
      'destination: alive, status running',
      "guest ticks on destination after switch-over: 0 in 5 s (source's last TICK 1)",
      'destination vCPU: NIP c0000000000e1230 in both samples, MSR[EE]=1, TB +256945695, DECR -1671293789 (expired) then -1928239486 (expired) (large decrementer)',
      'after console input (spapr-vty interrupts): 2 ticks (TICK 2..3): the guest runs again once an interrupt wakes it',
      LOST_TIMER_INTERRUPT,
    ]);
    expect(observedVerdict(o)).toBe('unsafe');
    // A 32-bit decrementer wraps every 2^32 ticks: the sign of one sample proves nothing, the halted vCPU does.
    const m06 = classifyMigration({ ...stalled, dstRegisters: [REGS('6246902826', '2343032263', '0000000003d1f408'), REGS('6505170959', '2084764114', '0000000003d1f408')] });
    expect(m06.details).toContain('destination vCPU: NIP c0000000000e1230 in both samples, MSR[EE]=1, TB +258268133, DECR -1951935033 (expired) then 2084764114 (32-bit)');
    expect(m06.details).toContain(LOST_TIMER_INTERRUPT);
    // Whether a keystroke revives it varies (where the interrupt finds the kernel); the halted vCPU is the evidence.
    const asleep = classifyMigration({ ...stalled, dstConsoleAfterInput: ['', ''] });
    expect(asleep.details.slice(-2)).toEqual(['after console input (spapr-vty interrupts): still no tick', LOST_TIMER_INTERRUPT]);
    // A vCPU that moves, or interrupts masked (MSR[EE]=0), is stalled for another reason.
    const moving = classifyMigration({ ...stalled, dstRegisters: [REGS('1', '5'), REGS('2', '4').replace('NIP c0000000000e1230', 'NIP c000000000001000')] });
    expect(moving.details).not.toContain(LOST_TIMER_INTERRUPT);
    const masked = classifyMigration({ ...stalled, dstRegisters: stalled.dstRegisters.map((r) => r.replace('MSR 800000000280b033', 'MSR 8000000002803033')) });
    expect(masked.details).not.toContain(LOST_TIMER_INTERRUPT);
  });
  it('stalled: one tick is not enough, nor ticks that start again; a warning stays a warning', () => {
    const one = classifyMigration({ ...stalled, dstConsole: ['CONFORMANCE[L1] TICK 2'], dstConsoleAfterInput: [] });
    expect(one.message).toBe('guest stalled on the destination: 1 tick in 5 s after the switch-over');
    expect(one.details).toContain('after console input (spapr-vty interrupts): still no tick');
    const again = classifyMigration({ ...stalled, srcLastTick: 9, dstConsole: ['CONFORMANCE[L1] TICK 1', 'CONFORMANCE[L1] TICK 2'] });
    expect(again.message).toBe("guest stalled on the destination: ticks do not count on from the source's (1, 2)");
    const w = 'cap-dfp lower level (0) in incoming stream than on destination (1)';
    const warned = classifyMigration({ ...stalled, dstStderr: [`qemu-system-ppc64: warning: ${w}`] });
    expect(warned).toMatchObject({ kind: 'migration-completed-guest-stalled', warnings: [w] });
  });
  it('a tick split by the switch-over may be lost, but ticks must follow each other', () => {
    expect(tickNumbers(['x CONFORMANCE[L1] TICK 3', 'TICK 4', 'CONFORMANCE[L2] TICK 5'])).toEqual([3, 5]);
    expect(classifyMigration({ ...stalled, dstConsole: ['CONFORMANCE[L1] TICK 3', 'CONFORMANCE[L1] TICK 4'] }).kind).toBe('migration-completed');
    expect(classifyMigration({ ...stalled, dstConsole: ['CONFORMANCE[L1] TICK 2', 'CONFORMANCE[L1] TICK 4'] }).kind).toBe('migration-completed-guest-stalled');
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

describe('classifyNestedMigration (guest/init runmig inside the L1)', () => {
  const L1 = '#1 SMP Debian 6.CONFORMANCE[L1] OV5: 1900200000a0050000000000000000000000000000008040400040\nCONFORMANCE[L1] MMU: Radix\nCONFORMANCE[L1] USERSPACE-UP\nCONFORMANCE[L1] INSMOD kvm-hv: ok';
  const src = [
    'Calling ibm,client-architecture-support... done',
    '#1 SMP Debian 6.CONFORMANCE[L2] OV5: 1900200000a0050000000000000000000000000000008040400040',
    'CONFORMANCE[L2] MMU: Radix',
    'CONFORMANCE[L2] TICK 1',
    'CONFORMANCE[L2] TICK 2',
    'CONFORMANCE[L2] TICK 3',
  ];
  const mig = (lines: Record<string, string[]>): string =>
    [L1, 'CONFORMANCE[L1] MIGVM: -machine pseries,cap-dfp=off → -machine pseries', ...Object.entries(lines).flatMap(([k, v]) => v.map((l) => `CONFORMANCE[L1] ${k}: ${l}`)), 'CONFORMANCE[L1] HV-DONE'].join('\n');
  const XIVE = 'qemu-system-ppc64: warning: kernel_irqchip allowed but unavailable: IRQ_XIVE capability must be present for KVM';
  const completed = {
    'MIG-DST-STARTED': ['yes'],
    'MIG-STATUS': ['completed'],
    'MIG-SRC': src,
    'MIG-DST-STDERR': ['qemu-system-ppc64: warning: cap-dfp lower level (0) in incoming stream than on destination (1)', XIVE, 'Falling back to kernel-irqchip=off'],
    'MIG-WINDOW': ['CONFORMANCE[L2] TICK 4', 'CONFORMANCE[L2] TICK 5', 'CONFORMANCE[L2] TICK 6'],
    'MIG-DST': ['alive, running'],
  };

  it('reads a completed KVM migration like an L0 one: the destination warnings, its ticks, both levels with the contract', () => {
    const o = classifyNestedMigration(mig(completed), '', 2, false, 0);
    expect(o).toMatchObject({ kind: 'migration-completed-with-warning', mmu: 'radix', ov5: '1900200000a0050000000000000000000000000000008040400040', level: 2 });
    expect(o.warnings).toEqual(['cap-dfp lower level (0) in incoming stream than on destination (1)', 'kernel_irqchip allowed but unavailable: IRQ_XIVE capability must be present for KVM']);
    expect(o.details).toContain("guest ticks on destination after switch-over: 3 in 6 s (TICK 4..6; source's last TICK 3)");
    expect(o.details.some((d) => d.includes('MIG-'))).toBe(false);
    expect(o.levels?.map((l) => [l.level, l.kind, l.mmu])).toEqual([
      [1, 'booted', 'radix'],
      [2, 'migration-completed-with-warning', 'radix'],
    ]);
  });

  it('fails when the destination QEMU exits on the stream, though the source says completed (N28)', () => {
    const o = classifyNestedMigration(
      mig({ ...completed, 'MIG-DST-STDERR': ['qemu-system-ppc64: cap-large-decr higher level (1) in incoming stream than on destination (0)', 'qemu-system-ppc64: load of migration failed: Invalid argument'], 'MIG-WINDOW': [], 'MIG-DST': ['exited 1'] }),
      '',
      2,
      false,
      0,
    );
    expect(o).toMatchObject({ kind: 'migration-failed', message: 'cap-large-decr higher level (1) in incoming stream than on destination (0) | load of migration failed: Invalid argument' });
    expect(o.details).toContain('destination: exited 1');
  });

  it('calls a guest that does not tick on the destination stalled, and a migration that never started a harness error', () => {
    expect(classifyNestedMigration(mig({ ...completed, 'MIG-WINDOW': ['CONFORMANCE[L2] TICK 4'] }), '', 2, false, 0).kind).toBe('migration-completed-guest-stalled');
    expect(classifyNestedMigration([L1, 'CONFORMANCE[L1] HV-DONE'].join('\n'), '', 2, false, 0)).toMatchObject({ kind: 'harness-error', message: 'L2 migration never started' });
  });

  it('returns the failure of the hypervisor level when it never got to migrate', () => {
    const o = classifyNestedMigration('Kernel panic - not syncing: VFS: Unable to mount root fs', '', 2, false, 0);
    expect(o.kind).toBe('guest-panic');
  });
});
