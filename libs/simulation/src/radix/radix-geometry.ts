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
  /** 2^shift: the EA range one entry covers (precomputed: walks run this arithmetic constantly). */
  readonly span: number;
  /** 2^bits: the number of entries. */
  readonly entries: number;
  /** 2^-shift: scaling by it is exact, and cheaper than dividing by `span`. */
  readonly perSpan: number;
}

function level(shift: number, bits: number, leafSize?: PageSize): RadixLevel {
  return { shift, bits, leafSize, span: 2 ** shift, entries: 2 ** bits, perSpan: 2 ** -shift };
}

export type RadixGeometry = readonly RadixLevel[];

export const RADIX_GEOMETRY: Readonly<Record<BasePageSize, RadixGeometry>> = {
  '4K': [
    level(39, 13), // PGD
    level(30, 9, '1G'), // PUD
    level(21, 9, '2M'), // PMD
    level(12, 9, '4K'), // PTE
  ],
  '64K': [
    level(39, 13), // PGD
    level(30, 9, '1G'), // PUD
    level(21, 9, '2M'), // PMD
    level(16, 5, '64K'), // PTE
  ],
};

/** Radix tree address size: 2^(RTS+31) = 2^52 bytes. */
export const RADIX_EA_BITS = 52;

/**
 * Bits [shift, shift + bits) of an address below 2^53. The bitwise AND takes the integer modulo 2^32 (ToInt32)
 * before masking, exact for any integer below 2^53, and avoids a floating-point remainder on every walk step.
 */
export function levelIndex(level: RadixLevel, address: number): number {
  return Math.floor(address * level.perSpan) & (level.entries - 1);
}

/** The EA prefix a directory entry at `level` stands for: the address with every bit below the level cleared. */
export function levelPrefix(level: RadixLevel, address: number): number {
  return Math.floor(address * level.perSpan) * level.span;
}

/** The tree level whose leaves have `size`, or undefined when the geometry cannot map it. */
export function leafLevelOf(geometry: RadixGeometry, size: PageSize): number | undefined {
  const depth = geometry.findIndex((level) => level.leafSize === size);
  return depth < 0 ? undefined : depth;
}
