/**
 * The radix tree walk (Power ISA 3.0B Book III "Radix Tree Translation"; shaped like QEMU
 * target/ppc/mmu-radix64.c `ppc_radix64_walk_tree`). It can start below the root when a page-walk cache
 * entry already supplied a directory, and reports every directory it passes through so the caller can
 * fill the page-walk cache (the `guest_visible` idea: one walk, side effects chosen by the caller).
 */
import { LeafEntry } from './radix-entry';
import { levelIndex, levelPrefix, RadixGeometry } from './radix-geometry';
import { TableAddress, TableMemory } from './table-memory';

export interface WalkStart {
  /** Level of the table to read first (0 = PGD). */
  readonly depth: number;
  readonly table: TableAddress;
}

/** Called for each valid non-leaf entry read: the directory at `depth` covering `prefix` points to `nlb`. */
export type DirectoryVisitor = (depth: number, prefix: number, nlb: TableAddress) => void;

export type WalkResult =
  | { readonly found: true; readonly leaf: LeafEntry; readonly depth: number }
  | { readonly found: false; readonly depth: number };

export function walkTree(
  memory: TableMemory,
  geometry: RadixGeometry,
  start: WalkStart,
  ea: number,
  visit?: DirectoryVisitor,
): WalkResult {
  let table = start.table;
  for (let depth = start.depth; depth < geometry.length; depth++) {
    const level = geometry[depth];
    const entry = memory.read(table, levelIndex(level, ea));
    if (!entry) return { found: false, depth };
    if (entry.type === 'leaf') return { found: true, leaf: entry, depth };
    visit?.(depth, levelPrefix(level, ea), entry.nlb);
    table = entry.nlb;
  }
  return { found: false, depth: geometry.length };
}
