/**
 * The two MSR bits that decide the privilege of TLB management instructions (Power ISA Book III,
 * "Privileged instructions"): MSR[HV] (hypervisor state) and MSR[PR] (problem state).
 * Modelled as flags rather than bit positions because HV is IBM bit 3 (above 2^53) and nothing else in MSR matters here.
 */
export interface Msr {
  readonly HV: boolean;
  readonly PR: boolean;
}

/** Hypervisor real/privileged state: L0 itself (and QEMU's TCG "virtual hypervisor"). */
export const MSR_HYPERVISOR: Msr = { HV: true, PR: false };
/** Guest privileged state: a guest kernel, including an L1 acting as nested hypervisor (it runs HV=0). */
export const MSR_GUEST_KERNEL: Msr = { HV: false, PR: false };
/** Problem state: user code. */
export const MSR_PROBLEM: Msr = { HV: false, PR: true };
