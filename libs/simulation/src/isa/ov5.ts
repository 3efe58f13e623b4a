/**
 * The option-vector-5 bytes that decide the MMU contract (QEMU include/hw/ppc/spapr_ovec.h, Linux
 * arch/powerpc/include/asm/prom.h; domain/cas-ov5.md §1, §2.2, §3.1). Byte numbers are 1-based as in LoPAPR.
 * Byte 24 is both the guest's request and, in `ibm,arch-vec-5-platform-support`, what the platform allows.
 */
export const OV5_BYTE_MMU = 24;
export const OV5_BYTE_RADIX_EXT = 26;

/** Byte 24 values, masked with 0xC0 (Linux `OV5_MMU_HASH/RADIX/EITHER/DYNAMIC` feature bytes). */
export const OV5_MMU_HASH = 0x00;
export const OV5_MMU_RADIX = 0x40;
export const OV5_MMU_EITHER = 0x80;
export const OV5_MMU_DYNAMIC = 0xc0;
export const OV5_MMU_MASK = 0xc0;

/** Byte 26: radix Guest Translation Shootdown Enable (Linux `OV5_RADIX_GTSE 0x1A40`). */
export const OV5_RADIX_GTSE = 0x40;
