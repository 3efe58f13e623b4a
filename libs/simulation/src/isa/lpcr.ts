/**
 * LPCR (Logical Partitioning Control Register) bits the model uses, as Linux names them
 * (arch/powerpc/include/asm/reg.h). LPCR is hypervisor-privileged: a guest never reads its own GTSE,
 * it learns it only from ov5 byte 26 (domain/mmu.md §4). Values are bigint because DPFD lies above 2^53.
 */
export type Lpcr = bigint;

/** Use process table (ISA 3.0). */
export const LPCR_UPRT: Lpcr = 0x0000000000400000n;
/** Host (partition-scoped) translation is radix. */
export const LPCR_HR: Lpcr = 0x0000000000100000n;
/** Guest Translation Shootdown Enable: 1 = guest kernel may execute `tlbie`/`tlbsync`. */
export const LPCR_GTSE: Lpcr = 0x0000000000000400n;
/** Mediated external exception. */
export const LPCR_MER: Lpcr = 0x0000000000000800n;
/** Translation control. */
export const LPCR_TC: Lpcr = 0x0000000000000200n;
/*
 * The next four are not in domain/mmu.md; they are quoted from Linux 6.1 reg.h only to spell the mask of
 * `load_l2_hv_regs` in full (none of them changes what the model decides).
 */
export const LPCR_DPFD: Lpcr = 0x0070000000000000n;
export const LPCR_ILE: Lpcr = 0x0000000002000000n;
export const LPCR_AIL: Lpcr = 0x0000000001800000n;
export const LPCR_LD: Lpcr = 0x0000000000020000n;

export function lpcrHas(lpcr: Lpcr, bit: Lpcr): boolean {
  return (lpcr & bit) !== 0n;
}
