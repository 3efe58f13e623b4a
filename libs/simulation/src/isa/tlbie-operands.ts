/**
 * Operands of `tlbie` / `tlbiel` (X-form), ISA 3.0B Book III "TLB Management Instructions".
 * Constant names follow QEMU target/ppc/mmu_helper.c (`TLBIE_RIC_*`, `TLBIE_IS_*` in helper_tlbie_isa300)
 * and Linux arch/powerpc/include/asm/tlbflush-radix.h (`RIC_FLUSH_*`); domain/mmu.md §3.
 */
/** RIC: what to invalidate. */
export const TLBIE_RIC_TLB = 0; // RIC_FLUSH_TLB: TLB only
export const TLBIE_RIC_PWC = 1; // RIC_FLUSH_PWC: page-walk cache only
export const TLBIE_RIC_ALL = 2; // RIC_FLUSH_ALL: TLB + PWC + cached partition/process-table entries
export const TLBIE_RIC_GRP = 3; // invalid form
export type Ric = typeof TLBIE_RIC_TLB | typeof TLBIE_RIC_PWC | typeof TLBIE_RIC_ALL | typeof TLBIE_RIC_GRP;

/** IS (RB bits 52:53): which entries. */
export const TLBIE_IS_VA = 0; // one page: EPN + AP in RB
export const TLBIE_IS_PID = 1; // all entries of the PID in RS (PRS=1 only)
export const TLBIE_IS_LPID = 2; // all entries of the LPID
export const TLBIE_IS_ALL = 3; // all entries
export type Is = typeof TLBIE_IS_VA | typeof TLBIE_IS_PID | typeof TLBIE_IS_LPID | typeof TLBIE_IS_ALL;

/** PRS: 1 = process-scoped, 0 = partition-scoped. */
export const PRS_PROCESS_SCOPED = 1;
export const PRS_PARTITION_SCOPED = 0;
/** R: 1 = radix (0 = hash/HPT, which the model does not translate). */
export const R_RADIX = 1;

export type Bit = 0 | 1;

export interface TlbieOperands {
  readonly ric: Ric;
  readonly prs: Bit;
  readonly r: Bit;
  readonly is: Is;
  /** RS: PID in bits 0:31, LPID in bits 32:63. */
  readonly rs: { readonly pid: number; readonly lpid: number };
  /** RB: EPN (bits 0:51), SET (40:51, `tlbiel` only), IS (52:53), AP (56:58). */
  readonly rb: { readonly epn: number; readonly ap: number; readonly set: number };
}

export type TlbieMnemonic = 'tlbie' | 'tlbiel';

/** The whole instruction: `tlbie` broadcasts to every thread, `tlbiel` affects the executing thread only. */
export interface TlbieInstruction {
  readonly mnemonic: TlbieMnemonic;
  readonly operands: TlbieOperands;
}

/** The synchronising instructions of a flush sequence (`eieio; tlbsync; ptesync` or `ptesync`). */
export type SyncMnemonic = 'eieio' | 'tlbsync' | 'ptesync';

export type TlbInstruction = TlbieInstruction | { readonly mnemonic: SyncMnemonic };

export function isTlbie(instruction: TlbInstruction): instruction is TlbieInstruction {
  return instruction.mnemonic === 'tlbie' || instruction.mnemonic === 'tlbiel';
}

/** Opcode images as Linux emits them (`PPC_RAW_TLBIE_5`, `PPC_RAW_TLBIEL`, arch/powerpc/include/asm/ppc-opcode.h). */
export const PPC_RAW_TLBIE_5 = 0x7c000264;
export const PPC_RAW_TLBIEL = 0x7c000224;

/** Linux's `___PPC_RIC`, `___PPC_PRS`, `___PPC_R` shifts. */
const RIC_SHIFT = 18;
const PRS_SHIFT = 17;
const R_SHIFT = 16;

/** The instruction image HEIR would hold (register fields left 0: the model has no GPRs). */
export function instructionImage(instruction: TlbieInstruction): number {
  const opcode = instruction.mnemonic === 'tlbie' ? PPC_RAW_TLBIE_5 : PPC_RAW_TLBIEL;
  const { ric, prs, r } = instruction.operands;
  return (opcode | (ric << RIC_SHIFT) | (prs << PRS_SHIFT) | (r << R_SHIFT)) >>> 0;
}

/** Operands for one page, as Linux `__tlbie_va`/`__tlbiel_va` set them. */
export function vaOperands(ric: Ric, pid: number, epn: number, ap: number): TlbieOperands {
  return {
    ric,
    prs: PRS_PROCESS_SCOPED, // process scoped
    r: R_RADIX, // radix format
    is: TLBIE_IS_VA, // IS = 0
    rs: { pid, lpid: 0 },
    rb: { epn, ap, set: 0 },
  };
}

/** Operands for a whole PID, as Linux `__tlbie_pid`/`__tlbiel_pid` set them. */
export function pidOperands(ric: Ric, pid: number, lpid = 0): TlbieOperands {
  return {
    ric,
    prs: PRS_PROCESS_SCOPED, // process scoped
    r: R_RADIX, // radix format
    is: TLBIE_IS_PID, // IS = 1
    rs: { pid, lpid },
    rb: { epn: 0, ap: 0, set: 0 },
  };
}

/** Operands for a whole LPID, partition scoped, as Linux `__tlbie_lpid` sets them. */
export function lpidOperands(ric: Ric, lpid: number): TlbieOperands {
  return {
    ric,
    prs: PRS_PARTITION_SCOPED, // partition scoped
    r: R_RADIX, // radix format
    is: TLBIE_IS_LPID, // IS = 2
    rs: { pid: 0, lpid },
    rb: { epn: 0, ap: 0, set: 0 },
  };
}

export function describeInstruction(instruction: TlbInstruction): string {
  if (!isTlbie(instruction)) return instruction.mnemonic;
  const { ric, prs, r, is, rs, rb } = instruction.operands;
  return `${instruction.mnemonic} RIC=${ric} PRS=${prs} R=${r} IS=${is} RS.PID=${rs.pid} RS.LPID=${rs.lpid} RB.EPN=0x${rb.epn.toString(16)} RB.AP=${rb.ap}`;
}
