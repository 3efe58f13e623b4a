/**
 * The option-vector-5 bytes that decide the MMU contract, taken from the shared domain definition
 * (@spapr/domain/cas/ov5: QEMU include/hw/ppc/spapr_ovec.h, Linux asm/prom.h; domain/cas-ov5.md §1, §2.2, §3.1).
 * Byte 24 is both the guest's request and, in `ibm,arch-vec-5-platform-support`, what the platform allows;
 * there it takes four values (Linux `OV5_MMU_HASH/RADIX/EITHER/DYNAMIC` feature bytes, masked with 0xC0).
 */
import { OV5_MMU_BOTH, OV5_MMU_RADIX_300, OV5_MMU_RADIX_GTSE } from '@spapr/domain/cas/ov5';

export const OV5_MMU_HASH = 0x00;
export const OV5_MMU_RADIX = OV5_MMU_RADIX_300.mask;
export const OV5_MMU_EITHER = OV5_MMU_BOTH.mask;
/** QEMU TCG: "V3 MMU supports both hash and radix in tcg" (0xC0). */
export const OV5_MMU_DYNAMIC = OV5_MMU_BOTH.mask | OV5_MMU_RADIX_300.mask;
export const OV5_MMU_MASK = OV5_MMU_DYNAMIC;

/** Byte 26: radix Guest Translation Shootdown Enable (Linux `OV5_RADIX_GTSE 0x1A40`). */
export const OV5_RADIX_GTSE = OV5_MMU_RADIX_GTSE.mask;
