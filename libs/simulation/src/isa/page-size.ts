/**
 * Radix page sizes and their AP (actual page size) encodings.
 * Source: QEMU `ibm,processor-radix-AP-encodings` for POWER9/10 and Linux `mmu_psize_defs[].ap`
 * (arch/powerpc/mm/book3s64/radix_pgtable.c); domain/mmu.md §1.
 */
export const PAGE_SIZES = ['4K', '64K', '2M', '1G'] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

/** log2 of the page size in bytes. */
export const PAGE_SHIFT: Readonly<Record<PageSize, number>> = { '4K': 12, '64K': 16, '2M': 21, '1G': 30 };

export const AP_4K = 0;
export const AP_64K = 5;
export const AP_2M = 1;
export const AP_1G = 2;

export const AP_OF: Readonly<Record<PageSize, number>> = { '4K': AP_4K, '64K': AP_64K, '2M': AP_2M, '1G': AP_1G };

/** The AP → size map the TLB uses to decode RB[AP] of an IS=0 `tlbie`; any other AP is an invalid form. */
export function pageSizeOfAp(ap: number): PageSize | undefined {
  return PAGE_SIZES.find((size) => AP_OF[size] === ap);
}

const PAGE_BYTES: Readonly<Record<PageSize, number>> = { '4K': 2 ** 12, '64K': 2 ** 16, '2M': 2 ** 21, '1G': 2 ** 30 };

export function pageBytes(size: PageSize): number {
  return PAGE_BYTES[size];
}

/**
 * Base of the page of `size` holding `address`: addresses are integers below 2^53 and pages at most 2^30 bytes,
 * so the offset is the address's low bits, which the bitwise AND reads exactly (ToInt32 is taken modulo 2^32).
 */
export function alignDown(address: number, size: PageSize): number {
  return address - (address & (PAGE_BYTES[size] - 1));
}

/** The smaller of two page sizes: a 2-D translation is cached at the smaller of its two leaves. */
export function smallerPageSize(a: PageSize, b: PageSize): PageSize {
  return PAGE_SHIFT[a] <= PAGE_SHIFT[b] ? a : b;
}
