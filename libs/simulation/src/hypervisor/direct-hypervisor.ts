/**
 * L0 running a guest directly: Linux KVM-HV on bare metal, or QEMU TCG as "virtual hypervisor".
 * - LPCR[UPRT|HR|GTSE] follow the guest's H_REGISTER_PROC_TBL (QEMU `h_register_process_table`).
 * - H_RPT_INVALIDATE exists only when KVM handles it in-kernel (`KVM_CAP_PPC_RPT_INVALIDATE` and QEMU
 *   `cap-rpt-invalidate=on`, which enables it); otherwise the hcall is unknown: H_FUNCTION. TCG never has it.
 * - A hypervisor-privileged guest instruction: HEAI 0xE40 to KVM, which injects a Program interrupt
 *   "illegal instruction" (`kvmppc_handle_exit_hv` → `kvmppc_core_queue_program(vcpu, SRR1_PROGILL)`);
 *   under TCG the Program interrupt is raised directly (domain/mmu.md §3).
 */
import { assertNever } from '../assert-never';
import { H_FUNCTION, H_SUCCESS, HcallReturn } from '../isa/hcalls';
import { INTERRUPT_HEAI, Interrupt } from '../isa/interrupt';
import { Lpcr, LPCR_HR, lpcrHas } from '../isa/lpcr';
import { TlbInstruction } from '../isa/tlbie-operands';
import { L0_FRAME_BASE, L0_TABLE_BASE } from '../machine/address-layout';
import { FrameAllocator } from '../machine/frame-allocator';
import { Machine } from '../machine/machine';
import { hypervisorContext } from '../mmu/hardware-thread';
import { Partition } from '../machine/partition';
import { runSequence } from '../mmu/tlb-sequence';
import { pateDw0 } from '../radix/pate';
import { RadixTree } from '../radix/radix-tree';
import { TableMemory } from '../radix/table-memory';
import { GuestCrash } from '../scenario/outcome';
import { Level, Trace } from '../scenario/trace';
import { guestCrash, GuestHypervisor, HcallResult } from './guest-hypervisor';
import { PROC_TBL_LPCR_MASK, RegisterProcTblArgs } from './h-register-proc-tbl';
import { registerProcessTable } from './register-process-table';
import { kvmppcHRptInvalidate, rptArgsList, RptInvalidateArgs, rptInvalidatePrtSequence } from './h-rpt-invalidate';
import { PartitionScopedTree } from './partition-scoped-tree';

export type Accelerator = 'kvm-hv' | 'tcg';

export interface DirectHypervisorConfig {
  readonly accelerator: Accelerator;
  /** KVM handles H_RPT_INVALIDATE for this guest (kernel ≥ 5.14 and the guest's QEMU has cap-rpt-invalidate=on). */
  readonly rptInvalidate: boolean;
  readonly lpid: number;
  /** After an incoming migration: the LPCR restored from the stream (`spapr_post_load`). */
  readonly restoredLpcr?: Lpcr;
}


export class DirectHypervisor implements GuestHypervisor {
  readonly guestLevel: Level = 'L1';
  readonly partition: Partition;
  lpcr: Lpcr;

  get savedLpcr(): Lpcr {
    return this.lpcr;
  }

  constructor(
    private readonly machine: Machine,
    private readonly trace: Trace,
    private readonly config: DirectHypervisorConfig,
  ) {
    const partitionScoped = new PartitionScopedTree(new TableMemory(L0_TABLE_BASE), new FrameAllocator(L0_FRAME_BASE));
    this.partition = {
      pate: { dw0: pateDw0(partitionScoped.tree.root, partitionScoped.tree.geometry), dw1: 0n },
      lpid: config.lpid,
      processTable: undefined,
      partitionScoped: {
        hardware: (gRaddr) => partitionScoped.lookup(gRaddr),
        authoritative: (gRaddr) => partitionScoped.lookup(gRaddr),
        resolveFault: (gRaddr) => partitionScoped.fault(gRaddr) !== undefined,
      },
    };
    machine.partitions.set(config.lpid, this.partition);
    this.lpcr = config.restoredLpcr ?? 0n;
  }

  registerProcessTable(args: RegisterProcTblArgs, processTable: ReadonlyMap<number, RadixTree>): HcallReturn {
    return registerProcessTable(
      {
        partition: this.partition,
        trace: this.trace,
        level: this.guestLevel,
        handledBy: 'L0',
        applyLpcr: (bits) => {
          this.lpcr = (this.lpcr & ~PROC_TBL_LPCR_MASK) | bits;
          const why = this.config.accelerator === 'tcg' ? 'QEMU spapr_set_all_lpcrs' : 'KVM_PPC_CONFIGURE_V3_MMU → kvmhv_configure_mmu';
          return { lpcr: this.lpcr, why };
        },
      },
      args,
      processTable,
    );
  }

  rptInvalidate(thread: number, args: RptInvalidateArgs): HcallResult {
    const rc = this.handleRptInvalidate(thread, args);
    this.trace.add({ type: 'hcall', level: this.guestLevel, handledBy: 'L0', name: 'H_RPT_INVALIDATE', args: rptArgsList(args), rc });
    return { kind: 'returned', rc };
  }

  private handleRptInvalidate(thread: number, args: RptInvalidateArgs): HcallReturn {
    if (this.config.accelerator === 'tcg' || !this.config.rptInvalidate) return H_FUNCTION;
    const decision = kvmppcHRptInvalidate(args, { radix: lpcrHas(this.lpcr, LPCR_HR), nestingEnabled: false });
    switch (decision.kind) {
      case 'return':
        return decision.rc;
      case 'nested': // unreachable: nestingEnabled is false, so NESTED requests return H_FUNCTION above
        return H_FUNCTION;
      case 'process-scoped': {
        const hv = hypervisorContext(thread, this.lpcr);
        runSequence(this.machine, hv, rptInvalidatePrtSequence(args, this.partition.lpid));
        return H_SUCCESS;
      }
      default:
        return assertNever(decision);
    }
  }

  deliver(thread: number, instruction: TlbInstruction, interrupt: Interrupt): GuestCrash {
    const delivery =
      interrupt.vector === INTERRUPT_HEAI
        ? 'HEAI 0xe40 → L0 KVM-HV kvmppc_handle_exit_hv → kvmppc_core_queue_program(SRR1_PROGILL): Program 0x700 (illegal instruction) in the guest kernel'
        : `Program 0x700 (${interrupt.reason}) in the guest kernel${this.config.accelerator === 'tcg' ? ' (QEMU TCG gen_priv_exception)' : ''}`;
    this.trace.add({ type: 'interrupt', level: this.guestLevel, thread, vector: interrupt.vector, delivery });
    return guestCrash(this.guestLevel, thread, instruction, delivery);
  }
}
