/**
 * One radix tree entry (Linux arch/powerpc/include/asm/book3s/64/pgtable.h). Every stored entry is valid
 * (`_PAGE_PRESENT`, V); an absent entry is invalid. `_PAGE_PTE` (L) distinguishes a leaf from a pointer.
 */
import { PageSize } from '../isa/page-size';
import type { TableAddress } from './table-memory';

/** V=1, L=0: NLB (next level base) and NLS (its log2 size, from the geometry). */
export interface DirectoryEntry {
  readonly type: 'directory';
  readonly nlb: TableAddress;
}

/** V=1, L=1: RPN (56-bit real page number, `_RPAGE_PA_MAX`) and permission. */
export interface LeafEntry {
  readonly type: 'leaf';
  /** Real address of the page: guest real for a process-scoped tree, host real for a partition-scoped one. */
  readonly raddr: number;
  readonly pageSize: PageSize;
  readonly writable: boolean;
}

export type RadixEntry = DirectoryEntry | LeafEntry;
