/**
 * The partition-table entry (PATE) as the hardware reads it, 2 doublewords (domain/mmu.md §1; Linux
 * arch/powerpc/include/asm/book3s/64/mmu.h `PATB_HR`, `PATB_GR`, `RPDB_MASK`, `RPDS_MASK`, `PRTB_MASK`,
 * `PRTS_MASK`). dw0 describes the partition-scoped tree, dw1 the guest's process table (QEMU
 * `h_register_process_table`: `cproc = PATE1_GR | proc_tbl | table_size`).
 * Gap, named: RTS (bits 1:2 and 56:58 of dw0) is left 0; every tree in the model is 52-bit (RTS = 21).
 */
import { RadixGeometry } from './radix-geometry';
import { TableAddress } from './table-memory';

export const PATB_HR = 1n << 63n;
export const PATB_GR = 1n << 63n;
export const RPDB_MASK = 0x0fffffffffffff00n;
export const RPDS_MASK = 0x1fn;
export const PRTB_MASK = 0x0ffffffffffff000n;
export const PRTS_MASK = 0x1fn;

export interface PartitionTableEntry {
  readonly dw0: bigint;
  /** 0 until the guest registers a process table. */
  readonly dw1: bigint;
}

/** dw0 for a radix partition-scoped tree: HR, RPDB = root, RPDS = log2(root entries). */
export function pateDw0(root: TableAddress, geometry: RadixGeometry): bigint {
  return PATB_HR | (BigInt(root) & RPDB_MASK) | (BigInt(geometry[0].bits) & RPDS_MASK);
}

/** dw1 for a registered radix process table: GR, PRTB = base, PRTS = log2(size) − 12. */
export function pateDw1(processTableBase: number, prts: number): bigint {
  return PATB_GR | (BigInt(processTableBase) & PRTB_MASK) | (BigInt(prts) & PRTS_MASK);
}

export function pateHex(pate: PartitionTableEntry): string {
  const hex = (dw: bigint) => `0x${dw.toString(16).padStart(16, '0')}`;
  return `${hex(pate.dw0)} ${hex(pate.dw1)}`;
}
