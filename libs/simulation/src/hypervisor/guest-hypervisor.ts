/**
 * What a guest kernel sees of whoever runs it: the LPCR its threads run with (which it cannot read), the
 * hcalls it can make, and what happens to an instruction that interrupts. Implemented by a guest of L0
 * (`DirectHypervisor`) and by an L2 inside an L1 (`NestedHypervisor`).
 */
import { Interrupt } from '../isa/interrupt';
import { HcallReturn } from '../isa/hcalls';
import { Lpcr } from '../isa/lpcr';
import { describeInstruction, instructionImage, isTlbie, TlbInstruction } from '../isa/tlbie-operands';
import { Partition } from '../machine/partition';
import { RadixTree } from '../radix/radix-tree';
import { GuestCrash } from '../scenario/outcome';
import { Level } from '../scenario/trace';
import { RegisterProcTblArgs } from './h-register-proc-tbl';
import { RptInvalidateArgs } from './h-rpt-invalidate';

export type HcallResult =
  | { readonly kind: 'returned'; readonly rc: HcallReturn }
  /** The hcall killed someone: with an old L0, the L1 that emulated it for its L2. */
  | { readonly kind: 'crashed'; readonly crash: GuestCrash };

export interface GuestHypervisor {
  readonly guestLevel: Level;
  readonly partition: Partition;
  /** LPCR the guest's threads really run with. */
  readonly lpcr: Lpcr;
  /** LPCR the guest's QEMU holds for its vCPUs and sends in a migration stream (`spapr_post_load` restores it). */
  readonly savedLpcr: Lpcr;
  /** H_REGISTER_PROC_TBL. */
  registerProcessTable(args: RegisterProcTblArgs, processTable: ReadonlyMap<number, RadixTree>): HcallReturn;
  /** H_RPT_INVALIDATE from a guest thread. */
  rptInvalidate(thread: number, args: RptInvalidateArgs): HcallResult;
  /** A guest kernel instruction raised `interrupt`; the guest kernel cannot survive it. */
  deliver(thread: number, instruction: TlbInstruction, interrupt: Interrupt): GuestCrash;
}

export function guestCrash(level: Level, thread: number, instruction: TlbInstruction, delivery: string): GuestCrash {
  return {
    level,
    thread,
    instruction,
    text: describeInstruction(instruction),
    ...(isTlbie(instruction) ? { image: instructionImage(instruction) } : {}),
    delivery,
  };
}

export function lpcrHex(lpcr: Lpcr): string {
  return `0x${lpcr.toString(16).padStart(16, '0')}`;
}
