/**
 * Linux radix tree geometry, 52-bit EA, RTS = 21 (arch/powerpc/include/asm/book3s/64/radix-4k.h,
 * radix-64k.h; domain/mmu.md §1): PGD 13 bits, PUD 9, PMD 9, PTE 9 (4K base) or 5 (64K base).
 * A leaf at PUD level maps 1G, at PMD level 2M, at PTE level the base page.
 */
import { PageSize } from '../isa/page-size';

export type BasePageSize = '4K' | '64K';

export interface RadixLevel {
  /** Lowest EA bit (LSB numbering) the level's index covers. */
  readonly shift: number;
  /** Index width: log2 of the number of entries (the NLS of the pointer to this level). */
  readonly bits: number;
  /** Page size of a leaf (`_PAGE_PTE`) at this level; none at PGD. */
  readonly leafSize?: PageSize;
}

export type RadixGeometry = readonly RadixLevel[];

export const RADIX_GEOMETRY: Readonly<Record<BasePageSize, RadixGeometry>> = {
  '4K': [
    { shift: 39, bits: 13 }, // PGD
    { shift: 30, bits: 9, leafSize: '1G' }, // PUD
    { shift: 21, bits: 9, leafSize: '2M' }, // PMD
    { shift: 12, bits: 9, leafSize: '4K' }, // PTE
  ],
  '64K': [
    { shift: 39, bits: 13 }, // PGD
    { shift: 30, bits: 9, leafSize: '1G' }, // PUD
    { shift: 21, bits: 9, leafSize: '2M' }, // PMD
    { shift: 16, bits: 5, leafSize: '64K' }, // PTE
  ],
};

/** Radix tree address size: 2^(RTS+31) = 2^52 bytes. */
export const RADIX_EA_BITS = 52;

export function levelIndex(level: RadixLevel, address: number): number {
  return Math.floor(address / 2 ** level.shift) % 2 ** level.bits;
}

/** The EA prefix a directory entry at `level` stands for: the address with every bit below the level cleared. */
export function levelPrefix(level: RadixLevel, address: number): number {
  const span = 2 ** level.shift;
  return Math.floor(address / span) * span;
}

/** The tree level whose leaves have `size`, or undefined when the geometry cannot map it. */
export function leafLevelOf(geometry: RadixGeometry, size: PageSize): number | undefined {
  const depth = geometry.findIndex((level) => level.leafSize === size);
  return depth < 0 ? undefined : depth;
}
