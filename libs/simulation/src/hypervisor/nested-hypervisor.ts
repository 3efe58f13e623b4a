/**
 * An L2 run by an L1 (itself a KVM-HV guest of L0) through H_ENTER_NESTED, nested API v1 (domain/nested.md).
 * - LPCR: L0 decides what the L2 really runs with (`kvmL2Lpcr` / `tcgL2Lpcr`): under a Linux L0 the L2
 *   inherits the GTSE that L1 registered, whatever the L2 registered.
 * - L1 runs the L2 with H_ENTER_NESTED (traced each time the L2's LPCR changes).
 * - Translations: the hardware runs the L2 under a shadow LPID (`ShadowPartition`).
 * - H_RPT_INVALIDATE from the L2 traps to L0 first. L0 ≥ 5.14 (`kvmppc_nested_h_rpt_invalidate`) flushes
 *   process-scoped entries itself against the shadow LPID. An older L0 (and, unverified, a TCG L0) reflects
 *   it to L1, whose `kvmppc_h_rpt_invalidate` → `do_h_rpt_invalidate_prt` runs `tlbie` as a guest: it traps
 *   if L1 has GTSE=0, and on hardware reaches only L1's own LPID otherwise (nested.md §4); QEMU TCG's
 *   untagged TLB flush reaches the L2 all the same (mmu/invalidate.ts).
 * - When L1 takes an L2 guest-real page away it invalidates through L0 with a real hcall (`l1TlbiePage`).
 *   Not modelled with a TCG L0, whose `h_tlb_invalidate` is a no-op because it flushes on every L1↔L2 switch.
 */
import { H_FUNCTION, H_RPTI_TYPE_NESTED, H_SUCCESS, HcallReturn } from '../isa/hcalls';
import { INTERRUPT_HEAI, Interrupt } from '../isa/interrupt';
import { Lpcr, LPCR_GTSE, LPCR_HR, LPCR_UPRT, lpcrHas } from '../isa/lpcr';
import { MSR_GUEST_KERNEL } from '../isa/msr';
import { alignDown, pageBytes } from '../isa/page-size';
import { TlbInstruction } from '../isa/tlbie-operands';
import { Machine } from '../machine/machine';
import { Partition } from '../machine/partition';
import { ExecutionContext, hypervisorContext } from '../mmu/hardware-thread';
import { runSequence } from '../mmu/tlb-sequence';
import { RadixTree } from '../radix/radix-tree';
import { SafetyMonitor, StaleTranslation } from '../safety/stale-translation';
import { GuestCrash } from '../scenario/outcome';
import { Level, Trace } from '../scenario/trace';
import { Accelerator } from './direct-hypervisor';
import { guestCrash, GuestHypervisor, HcallResult } from './guest-hypervisor';
import { kvmL2Lpcr, tcgL2Lpcr } from './h-enter-nested';
import { PROC_TBL_LPCR_MASK, RegisterProcTblArgs } from './h-register-proc-tbl';
import { registerProcessTable } from './register-process-table';
import { kvmppcHRptInvalidate, rptArgsList, RptInvalidateArgs, rptInvalidatePrtSequence } from './h-rpt-invalidate';
import { l1TlbiePage } from './l1-tlbie-page';
import { PARTITION_PAGE_SIZE } from './partition-scoped-tree';
import { ShadowPartition } from './shadow-partition';

export interface NestedHypervisorConfig {
  readonly l0: {
    readonly accelerator: Accelerator;
    /** L0 kernel ≥ 5.14: handles an L2's H_RPT_INVALIDATE itself and L1's H_RPTI_TYPE_NESTED requests. */
    readonly rptInvalidate: boolean;
  };
  readonly l1: {
    /** LPCR[GTSE] that L1 registered with H_REGISTER_PROC_TBL (restored from its stream after a migration). */
    readonly registeredGtse: boolean;
    /** A reflected H_RPT_INVALIDATE of this L2 is handled by L1's KVM (kernel ≥ 5.14) or, below level 1, by the guest's own hypervisor (see guest-platform.ts); the L2's QEMU ran cap-rpt-invalidate=on. */
    readonly rptInvalidate: boolean;
    /** L1 itself has FW_FEATURE_RPT_INVALIDATE (its own QEMU ran cap-rpt-invalidate=on). */
    readonly firmwareRptInvalidate: boolean;
  };
  /** L1 takes L2 guest pages away and invalidates them through L0 (see the header). */
  readonly reclaims: boolean;
  /** L1's LPID at L0, the LPID L1 gave the L2, and the shadow LPID L0 runs the L2 under. */
  readonly l1Lpid: number;
  readonly l2LpidInL1: number;
  readonly shadowLpid: number;
  /** After an incoming migration of the L2: the LPCR L1 restores for it (its request; L0 still filters it). */
  readonly restoredLpcr?: Lpcr;
}


export class NestedHypervisor implements GuestHypervisor {
  readonly guestLevel: Level = 'L2';
  readonly partition: Partition;
  /** LPCR of L1 as L0 keeps it (`vc->lpcr`). */
  private readonly l1Lpcr: Lpcr;
  /** L1's view of the L2's LPCR (set by the L2's registration through L1's QEMU and KVM). */
  private requestedLpcr: Lpcr;
  private readonly shadow: ShadowPartition;

  constructor(
    private readonly machine: Machine,
    private readonly trace: Trace,
    private readonly config: NestedHypervisorConfig,
  ) {
    this.shadow = new ShadowPartition(machine, config.shadowLpid);
    this.l1Lpcr = LPCR_UPRT | LPCR_HR | (config.l1.registeredGtse ? LPCR_GTSE : 0n);
    this.requestedLpcr = config.restoredLpcr ?? 0n;
    this.partition = { pate: { dw0: this.shadow.pateDw0(), dw1: 0n }, lpid: config.shadowLpid, processTable: undefined, partitionScoped: this.shadow.translation() };
    machine.partitions.set(config.shadowLpid, this.partition);
    this.enterNested();
  }

  /** L1 (re-)enters the L2's vCPUs with the LPCR it holds for it; L0 answers with the LPCR the L2 really gets. */
  private enterNested(): void {
    this.trace.add({ type: 'hcall', level: 'L1', handledBy: 'L0', name: 'H_ENTER_NESTED', args: [this.config.l2LpidInL1, Number(this.requestedLpcr)], rc: H_SUCCESS });
  }

  /** What L0 makes of L1's request at every H_ENTER_NESTED. */
  get lpcr(): Lpcr {
    return this.config.l0.accelerator === 'kvm-hv' ? kvmL2Lpcr(this.l1Lpcr, this.requestedLpcr) : tcgL2Lpcr(this.requestedLpcr);
  }

  get savedLpcr(): Lpcr {
    return this.requestedLpcr;
  }

  registerProcessTable(args: RegisterProcTblArgs, processTable: ReadonlyMap<number, RadixTree>): HcallReturn {
    const rc = registerProcessTable(
      {
        partition: this.partition,
        trace: this.trace,
        level: 'L2',
        handledBy: 'L1',
        applyLpcr: (bits) => {
          this.requestedLpcr = (this.requestedLpcr & ~PROC_TBL_LPCR_MASK) | bits;
          const why =
            this.config.l0.accelerator === 'kvm-hv'
              ? `L2 registered GTSE=${lpcrHas(this.requestedLpcr, LPCR_GTSE) ? 1 : 0} with L1; L0 load_l2_hv_regs keeps L1's GTSE=${this.config.l1.registeredGtse ? 1 : 0}`
              : 'QEMU TCG h_enter_nested forces LPCR_GTSE on every L2';
          return { lpcr: this.lpcr, why };
        },
      },
      args,
      processTable,
    );
    if (rc === H_SUCCESS) this.enterNested();
    return rc;
  }

  rptInvalidate(thread: number, args: RptInvalidateArgs): HcallResult {
    if (this.config.l0.accelerator === 'kvm-hv' && this.config.l0.rptInvalidate && (args.type & H_RPTI_TYPE_NESTED) === 0) {
      // kvmppc_nested_h_rpt_invalidate: L0 flushes against the shadow LPID and returns H_SUCCESS, no checks.
      const hv = hypervisorContext(thread, this.l1Lpcr);
      runSequence(this.machine, hv, rptInvalidatePrtSequence(args, this.config.shadowLpid));
      this.trace.add({ type: 'hcall', level: 'L2', handledBy: 'L0', name: 'H_RPT_INVALIDATE', args: rptArgsList(args), rc: H_SUCCESS });
      return { kind: 'returned', rc: H_SUCCESS };
    }
    return this.reflectRptInvalidateToL1(thread, args);
  }

  /** L1's `kvmppc_h_rpt_invalidate`, running as a guest kernel of L0 (MSR[HV]=0, L1's LPCR). */
  private reflectRptInvalidateToL1(thread: number, args: RptInvalidateArgs): HcallResult {
    const record = (rc: HcallReturn) => this.trace.add({ type: 'hcall', level: 'L2', handledBy: 'L1', name: 'H_RPT_INVALIDATE', args: rptArgsList(args), rc });
    if (!this.config.l1.rptInvalidate) {
      record(H_FUNCTION);
      return { kind: 'returned', rc: H_FUNCTION };
    }
    const decision = kvmppcHRptInvalidate(args, { radix: true, nestingEnabled: false });
    if (decision.kind !== 'process-scoped') {
      const rc = decision.kind === 'return' ? decision.rc : H_FUNCTION;
      record(rc);
      return { kind: 'returned', rc };
    }
    const l1: ExecutionContext = { thread, msr: MSR_GUEST_KERNEL, lpcr: this.l1Lpcr, lpidr: this.config.l1Lpid, pidr: 0 };
    const sequence = runSequence(this.machine, l1, rptInvalidatePrtSequence(args, this.config.l2LpidInL1), (instruction, execution) =>
      this.trace.add({ type: 'instruction', level: 'L1', thread, text: instruction.mnemonic, result: execution.kind }),
    );
    if (sequence.kind === 'interrupted') return { kind: 'crashed', crash: this.deliverToL1(thread, sequence.instruction, sequence.interrupt) };
    record(H_SUCCESS);
    return { kind: 'returned', rc: H_SUCCESS };
  }

  private deliverToL1(thread: number, instruction: TlbInstruction, interrupt: Interrupt): GuestCrash {
    const delivery =
      interrupt.vector === INTERRUPT_HEAI
        ? 'L1 kvmppc_h_rpt_invalidate → tlbie with L1 LPCR[GTSE]=0: HEAI 0xe40 → L0 KVM-HV injects Program 0x700 (illegal instruction) into L1'
        : `L1 kvmppc_h_rpt_invalidate → Program 0x700 (${interrupt.reason}) in L1`;
    this.trace.add({ type: 'interrupt', level: 'L1', thread, vector: interrupt.vector, delivery });
    return guestCrash('L1', thread, instruction, delivery);
  }

  deliver(thread: number, instruction: TlbInstruction, interrupt: Interrupt): GuestCrash {
    const delivery =
      interrupt.vector === INTERRUPT_HEAI
        ? 'HEAI 0xe40 → L0 kvmppc_handle_nested_exit (not handled for nested guests) → reflected to L1 as the H_ENTER_NESTED return → L1 kvmppc_handle_exit_hv → kvmppc_core_queue_program(SRR1_PROGILL): Program 0x700 (illegal instruction) in the L2 kernel'
        : `Program 0x700 (${interrupt.reason}) in the L2 kernel`;
    this.trace.add({ type: 'interrupt', level: 'L2', thread, vector: interrupt.vector, delivery });
    return guestCrash('L2', thread, instruction, delivery);
  }

  /** Whether L1 taking an L2 page away is modelled (see the header: not with a TCG L0, nor below level 1). */
  get reclaimModelled(): boolean {
    return this.config.reclaims;
  }

  /**
   * L1 takes the L2 guest-real page at `gRaddr` away and invalidates it through L0 (`l1TlbiePage`). Returns the
   * stale entry left behind, if any, once L1's invalidation returned.
   */
  reclaim(thread: number, gRaddr: number, monitor: SafetyMonitor): StaleTranslation | undefined {
    const reclaimed = this.shadow.l1TreeForL2.reclaim(gRaddr);
    if (!reclaimed) return undefined;
    const start = alignDown(gRaddr, PARTITION_PAGE_SIZE);
    const mapping = { scope: 'partition', lpid: this.config.shadowLpid, start, end: start + pageBytes(PARTITION_PAGE_SIZE) } as const;
    monitor.removed(mapping);
    this.trace.add({ type: 'reclaim', level: 'L1', gRaddr: start });
    l1TlbiePage(thread, { lpidInL1: this.config.l2LpidInL1, shadow: this.shadow }, start, this.config.l1.firmwareRptInvalidate, this.trace);
    const stale = monitor.completed(this.machine, [mapping]);
    this.shadow.l1TreeForL2.release(reclaimed);
    return stale;
  }
}
