import { H_FUNCTION, H_RPTI_END_ALL, H_RPTI_PAGE_64K, H_RPTI_PAGE_ALL, H_RPTI_TARGET_CMMU, H_RPTI_TYPE_ALL, H_RPTI_TYPE_NESTED, H_RPTI_TYPE_TLB, H_SUCCESS } from '../isa/hcalls';
import { hTlbieP1Enc } from './l1-tlbie-page';
import { LPCR_GTSE, lpcrHas } from '../isa/lpcr';
import { MSR_GUEST_KERNEL } from '../isa/msr';
import { FaultInjection } from '../machine/fault-injection';
import { Machine } from '../machine/machine';
import { translate } from '../mmu/translate';
import { RadixTree } from '../radix/radix-tree';
import { TableMemory } from '../radix/table-memory';
import { SafetyMonitor } from '../safety/stale-translation';
import { Trace } from '../scenario/trace';
import { NestedHypervisor, NestedHypervisorConfig } from './nested-hypervisor';

const EA = 2 ** 40;
const PID = 3;
const SHADOW = 2;
const flushAll = { pid: PID, target: H_RPTI_TARGET_CMMU, type: H_RPTI_TYPE_ALL, pageSizes: H_RPTI_PAGE_ALL, start: 0, end: H_RPTI_END_ALL };

function nested(l0Rpt: boolean, l1Gtse: boolean, faults: FaultInjection = {}) {
  const config: NestedHypervisorConfig = {
    l0: { accelerator: 'kvm-hv', rptInvalidate: l0Rpt },
    l1: { registeredGtse: l1Gtse, rptInvalidate: true, firmwareRptInvalidate: l0Rpt },
    reclaims: true,
    l1Lpid: 1,
    l2LpidInL1: 1,
    shadowLpid: SHADOW,
  };
  const machine = new Machine(2, 'hardware', faults);
  const trace = new Trace();
  const hypervisor = new NestedHypervisor(machine, trace, config);
  const tree = new RadixTree(new TableMemory(0x1000_0000), '64K');
  tree.map(EA, 0x4000_0000, '64K', true);
  // the L2 registers GTSE=1 (as a default-cmdline L2 does)
  hypervisor.registerProcessTable({ flags: 0x18 | 0x04 | 0x01, base: 0x100_0000, pageSize: 0, tableSize: 12 }, new Map([[PID, tree]]));
  const touch = (thread: number) =>
    translate(machine, { thread, msr: MSR_GUEST_KERNEL, lpcr: hypervisor.lpcr, lpidr: SHADOW, pidr: PID }, EA, 'load');
  const cachedTlb = () => machine.threads.flatMap((t) => [...t.tlb.all()]);
  return { machine, trace, hypervisor, touch, cachedTlb };
}

describe('When an L2 registers GTSE=1 inside an L1 that registered GTSE=0', () => {
  it('runs with LPCR[GTSE]=0 all the same', () => {
    expect(lpcrHas(nested(true, false).hypervisor.lpcr, LPCR_GTSE)).toBe(false);
    expect(lpcrHas(nested(true, true).hypervisor.lpcr, LPCR_GTSE)).toBe(true);
  });
});

describe('When the L2 first touches a page', () => {
  it('gets a shadow PTE from L0 and a TLB entry tagged with the shadow LPID', () => {
    const { hypervisor, touch, cachedTlb } = nested(true, false);
    expect(touch(0)).toMatchObject({ kind: 'translated', gRaddr: 0x4000_0000 });
    expect([...(hypervisor.partition.partitionScoped.cached?.() ?? [])]).toHaveLength(1);
    expect(cachedTlb()).toEqual([expect.objectContaining({ lpid: SHADOW, pid: PID })]);
  });
});

describe('When a Linux ≥ 5.14 L0 gets the L2 H_RPT_INVALIDATE', () => {
  it('flushes the shadow LPID itself and returns H_SUCCESS', () => {
    const { hypervisor, touch, cachedTlb } = nested(true, false);
    touch(0);
    touch(1);
    expect(hypervisor.rptInvalidate(0, flushAll)).toEqual({ kind: 'returned', rc: H_SUCCESS });
    expect(cachedTlb()).toEqual([]);
  });
});

describe('When an older L0 reflects the hcall to an L1 with GTSE=1', () => {
  it("returns H_SUCCESS but leaves the L2's entries in place (L1's tlbie reaches only L1's LPID)", () => {
    const { hypervisor, touch, cachedTlb } = nested(false, true);
    touch(0);
    expect(hypervisor.rptInvalidate(0, flushAll)).toEqual({ kind: 'returned', rc: H_SUCCESS });
    expect(cachedTlb()).toHaveLength(1);
  });
});

describe('When an older L0 reflects the hcall to an L1 with GTSE=0', () => {
  it("crashes the L1 on its own tlbie", () => {
    const { hypervisor } = nested(false, false);
    expect(hypervisor.rptInvalidate(0, flushAll)).toMatchObject({ kind: 'crashed', crash: { level: 'L1', instruction: { mnemonic: 'tlbie' } } });
  });
});

describe('When L1 has no in-kernel H_RPT_INVALIDATE for the L2', () => {
  it('answers H_FUNCTION', () => {
    const machine = new Machine(1, 'hardware');
    const hypervisor = new NestedHypervisor(machine, new Trace(), {
      l0: { accelerator: 'kvm-hv', rptInvalidate: false },
      l1: { registeredGtse: true, rptInvalidate: false, firmwareRptInvalidate: false },
      reclaims: true,
      l1Lpid: 1,
      l2LpidInL1: 1,
      shadowLpid: SHADOW,
    });
    expect(hypervisor.rptInvalidate(0, flushAll)).toEqual({ kind: 'returned', rc: H_FUNCTION });
  });
});

describe('When L1 takes an L2 guest page away', () => {
  it('has L0 drop the shadow PTE and the shadow TLB entries on every thread, leaving nothing stale', () => {
    const { machine, hypervisor, touch, cachedTlb } = nested(true, false);
    touch(0);
    touch(1);
    expect(hypervisor.reclaim(1, 0x4000_0000, new SafetyMonitor())).toBeUndefined();
    expect(cachedTlb()).toEqual([]);
    expect([...(hypervisor.partition.partitionScoped.cached?.() ?? [])]).toEqual([]);
    expect(touch(0)).toMatchObject({ kind: 'translated' });
    expect(new SafetyMonitor().check(machine)).toBeUndefined();
  });

  it('asks L0 with H_RPT_INVALIDATE (NESTED | TLB, the L2 LPID in L1, CMMU) when L1 has FW_FEATURE_RPT_INVALIDATE', () => {
    const { hypervisor, touch, trace } = nested(true, false);
    touch(0);
    hypervisor.reclaim(0, 0x4000_0000, new SafetyMonitor());
    const hcall = trace.records.map((r) => r.event).find((e) => e.type === 'hcall' && e.level === 'L1' && e.name === 'H_RPT_INVALIDATE');
    expect(hcall).toMatchObject({ handledBy: 'L0', args: [1, H_RPTI_TARGET_CMMU, H_RPTI_TYPE_NESTED | H_RPTI_TYPE_TLB, H_RPTI_PAGE_64K, 0x4000_0000, 0x4001_0000], rc: H_SUCCESS });
  });

  it('asks L0 with H_TLB_INVALIDATE (RIC=0 PRS=0 R=1, the L2 LPID in L1, RB = page | AP) otherwise', () => {
    const { hypervisor, touch, trace } = nested(false, true);
    touch(0);
    hypervisor.reclaim(0, 0x4000_0000, new SafetyMonitor());
    const hcall = trace.records.map((r) => r.event).find((e) => e.type === 'hcall' && e.name === 'H_TLB_INVALIDATE');
    expect(hcall).toMatchObject({ level: 'L1', handledBy: 'L0', args: [hTlbieP1Enc(0, 0, 1), 1, 0x4000_0000 + (5 << 5)], rc: H_SUCCESS });
  });

  it('leaves a stale shadow PTE, reported as such, when L0 skips dropping it (test-only fault injection)', () => {
    const { machine, hypervisor, touch } = nested(true, false, { skipShadowPte: { nth: 0 } });
    touch(0);
    expect(hypervisor.reclaim(0, 0x4000_0000, new SafetyMonitor())).toMatchObject({ cache: 'shadow', lpid: SHADOW, gRaddr: 0x4000_0000 });
    expect(machine.injectedFaults).toEqual([{ fault: 'shadow-pte', skipped: 1 }]);
  });
});

describe('When L1 runs its L2', () => {
  it('enters it with H_ENTER_NESTED, again after the L2 registered its process table', () => {
    const names = nested(true, false).trace.records.map((r) => r.event).filter((e) => e.type === 'hcall').map((e) => (e.type === 'hcall' ? e.name : ''));
    expect(names).toEqual(['H_ENTER_NESTED', 'H_REGISTER_PROC_TBL', 'H_ENTER_NESTED']);
  });
});
