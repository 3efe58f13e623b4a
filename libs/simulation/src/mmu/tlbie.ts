/**
 * Executing `tlbie`, `tlbiel` and the flush-sequence synchronisation on one thread: privilege first (QEMU
 * 7.2 checks it at translation time in decodetree `do_tlbie`, target/ppc/translate/storage-ctrl-impl.c.inc,
 * before `helper_tlbie_isa300` looks at the form), then the invalid forms, then the invalidation
 * (domain/mmu.md §3). Three outcomes, as in `helper_tlbie_isa300`: executed, privilege interrupt, invalid form.
 * Effects are applied to every reached thread at once; the guest may rely on them only after its
 * `eieio; tlbsync; ptesync` (global) or `ptesync` (local), which is where the safety check looks.
 */
import { Interrupt, INTERRUPT_HEAI, INTERRUPT_PROGRAM } from '../isa/interrupt';
import { LPCR_GTSE, LPCR_HR, lpcrHas } from '../isa/lpcr';
import { pageSizeOfAp } from '../isa/page-size';
import {
  PRS_PARTITION_SCOPED,
  R_RADIX,
  TLBIE_IS_PID,
  TLBIE_IS_VA,
  TLBIE_RIC_ALL,
  TLBIE_RIC_GRP,
  TLBIE_RIC_PWC,
  TLBIE_IS_ALL,
  TLBIE_IS_LPID,
  TlbieInstruction,
  TlbInstruction,
  isTlbie,
} from '../isa/tlbie-operands';
import { Machine } from '../machine/machine';
import { ExecutionContext } from './hardware-thread';
import { invalidate, InvalidationEffect } from './invalidate';

export type TlbExecution =
  | { readonly kind: 'executed'; readonly effect?: InvalidationEffect }
  | { readonly kind: 'interrupt'; readonly interrupt: Interrupt };

type Privilege = 'allowed' | 'privileged' | 'hypervisor-privileged';

/**
 * MSR[PR]=1: every TLB management instruction is privileged. MSR[HV]=1: all allowed. Guest kernel:
 * `tlbie` is hypervisor privileged when LPCR[GTSE]=0 or when PRS=0 with LPCR[HR]=1; `tlbiel` only in the
 * latter case; `tlbsync` when LPCR[GTSE]=0 (QEMU `gen_tlbsync`). `eieio` and `ptesync` are never privileged.
 */
function privilegeOf(context: ExecutionContext, instruction: TlbInstruction): Privilege {
  if (!isTlbie(instruction)) {
    if (instruction.mnemonic !== 'tlbsync') return 'allowed';
    if (context.msr.PR) return 'privileged';
    return context.msr.HV || lpcrHas(context.lpcr, LPCR_GTSE) ? 'allowed' : 'hypervisor-privileged';
  }
  if (context.msr.PR) return 'privileged';
  if (context.msr.HV) return 'allowed';
  const gtse = lpcrHas(context.lpcr, LPCR_GTSE);
  const partitionScoped = instruction.operands.prs === PRS_PARTITION_SCOPED && lpcrHas(context.lpcr, LPCR_HR);
  if (partitionScoped) return 'hypervisor-privileged';
  return instruction.mnemonic === 'tlbie' && !gtse ? 'hypervisor-privileged' : 'allowed';
}

/** Invalid radix forms (`helper_tlbie_isa300`); each raises a Program interrupt and invalidates nothing. */
function isInvalidForm(instruction: TlbieInstruction): boolean {
  const { ric, is, prs, rb } = instruction.operands;
  if (ric === TLBIE_RIC_GRP) return true;
  if ((ric === TLBIE_RIC_PWC || ric === TLBIE_RIC_ALL) && is === TLBIE_IS_VA) return true;
  if (prs === PRS_PARTITION_SCOPED && is === TLBIE_IS_PID) return true;
  if (instruction.mnemonic === 'tlbiel' && ric === TLBIE_RIC_PWC && rb.set !== 0) return true;
  return is === TLBIE_IS_VA && pageSizeOfAp(rb.ap) === undefined;
}

export function executeTlbInstruction(machine: Machine, context: ExecutionContext, instruction: TlbInstruction): TlbExecution {
  machine.executed++;
  switch (privilegeOf(context, instruction)) {
    case 'privileged':
      return { kind: 'interrupt', interrupt: { vector: INTERRUPT_PROGRAM, reason: 'privileged' } };
    case 'hypervisor-privileged':
      // Hardware raises HEAI to the real hypervisor; QEMU TCG delivers a privileged-instruction Program
      // interrupt to the guest directly (`gen_priv_exception(ctx, POWERPC_EXCP_PRIV_OPC)`).
      return machine.emulation === 'hardware'
        ? { kind: 'interrupt', interrupt: { vector: INTERRUPT_HEAI } }
        : { kind: 'interrupt', interrupt: { vector: INTERRUPT_PROGRAM, reason: 'privileged' } };
    case 'allowed':
      break;
  }
  if (!isTlbie(instruction)) return { kind: 'executed' };

  // For MSR[HV]=0 the effective R is LPCR[HR] (domain/mmu.md §3).
  const r = context.msr.HV ? instruction.operands.r : lpcrHas(context.lpcr, LPCR_HR) ? R_RADIX : 0;
  if (r !== R_RADIX) throw new HashInvalidationNotModelledError(instruction);
  if (isInvalidForm(instruction)) {
    return { kind: 'interrupt', interrupt: { vector: INTERRUPT_PROGRAM, reason: 'invalid-form' } };
  }
  const { ric, prs, is, rs, rb } = instruction.operands;
  const threads = instruction.mnemonic === 'tlbie' ? machine.threads : [machine.threads[context.thread]];
  const effect = invalidate(machine, threads, {
    ric,
    prs,
    // A guest's invalidation is confined to its own partition: the LPID is LPIDR, RS[LPID] is ignored.
    // Assumption, named: IS=3 from a guest is likewise confined to LPIDR.
    is: !context.msr.HV && is === TLBIE_IS_ALL ? TLBIE_IS_LPID : is,
    lpid: context.msr.HV ? rs.lpid : context.lpidr,
    pid: rs.pid,
    ea: rb.epn,
    pageSize: pageSizeOfAp(rb.ap) ?? '4K',
  });
  return { kind: 'executed', effect };
}

/** The model translates radix only; an HPT (R=0) invalidation is a bug in the caller. */
export class HashInvalidationNotModelledError extends Error {
  constructor(readonly instruction: TlbieInstruction) {
    super('hash (R=0) tlbie is not modelled');
    this.name = 'HashInvalidationNotModelledError';
  }
}
