/**
 * Interrupts a TLB management instruction can raise (Power ISA Book III "Interrupts"; Linux
 * arch/powerpc/include/asm/kvm_asm.h `BOOK3S_INTERRUPT_*`).
 */
export const INTERRUPT_PROGRAM = 0x700;
/** Hypervisor Emulation Assistance, Linux `BOOK3S_INTERRUPT_H_EMUL_ASSIST`; HEIR holds the instruction image. */
export const INTERRUPT_HEAI = 0xe40;

/** Why a Program interrupt was raised (SRR1 reason; Linux `SRR1_PROGILL`, `SRR1_PROGPRIV`). */
export type ProgramReason = 'invalid-form' | 'privileged' | 'illegal';

export type Interrupt =
  | { readonly vector: typeof INTERRUPT_PROGRAM; readonly reason: ProgramReason }
  | { readonly vector: typeof INTERRUPT_HEAI };
