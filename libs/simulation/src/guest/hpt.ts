/**
 * The hash page table (HPT) of a hash guest: where QEMU gets one (`spapr_reallocate_hpt` → `kvmppc_reset_htab`,
 * hw/ppc/spapr.c, target/ppc/kvm.c) and whether the host's KVM runs a guest on it. What the HPT holds (PTEGs,
 * H_ENTER/H_REMOVE/H_BULK_REMOVE) is not modelled.
 * - TCG and KVM-PR: QEMU allocates it in its own memory (`kvmppc_reset_htab` returns 0, "PR - tell caller to
 *   allocate htab"); KVM-PR runs nothing but HPT guests.
 * - KVM-HV: the kernel allocates it (`KVM_PPC_ALLOCATE_HTAB`), which a KVM-HV inside a guest refuses with
 *   -EOPNOTSUPP ("If we're a nested hypervisor, we currently only support radix", `kvm_arch_vm_ioctl_hv`,
 *   arch/powerpc/kvm/book3s_hv.c): QEMU's "HPT not supported in nested guests" (domain/nested.md §3.2).
 * - A radix KVM-HV host without `KVM_CAP_PPC_MMU_HASH_V3` (a POWER9 before DD2.2, whose cores cannot run HPT and
 *   radix threads at once: `kvmppc_hash_v3_possible`) runs no HPT guest (Linux b1b1697ae0cc, 5.12: "Remove support
 *   for running HPT guest on RPT host without mixed mode support").
 */
import type { HostPlan } from '../scenario/plan';
import type { QemuRefusal } from './qemu-start';

/** The callers of `spapr_reallocate_hpt`: reset for a pre-ISA-3.00 CPU, CAS for a guest that chose hash, an incoming migration's HPT section. */
export type HptAllocation = 'spapr_machine_reset → spapr_setup_hpt' | 'do_client_architecture_support → spapr_setup_hpt' | 'htab_load';

export function hptAllocationRefusal(host: HostPlan, at: HptAllocation): QemuRefusal | undefined {
  if (host.level === 0 || host.accelerator !== 'kvm-hv') return undefined;
  return { message: 'HPT not supported in nested guests', source: `QEMU hw/ppc/spapr.c:${at} → spapr_reallocate_hpt` };
}

/** QEMU's reading of the caps (`kvmppc_has_cap_mmu_radix() && !kvmppc_has_cap_mmu_hash_v3()`): the host's KVM runs no HPT guest. */
export function kvmRadixOnly(host: HostPlan): boolean {
  return host.accelerator !== 'tcg' && host.mmuRadix && !host.mmuHashV3;
}

/**
 * The destination of a hash guest's migration: the stream's HPT section is loaded (`htab_load`), then the vCPUs run
 * there. QEMU checks the MMU mode only at CAS (`spapr_check_mmu_mode`), never for an incoming guest, so a radix-only
 * KVM takes the HPT and then cannot run it; no QEMU message for that was verified.
 */
export function hptRestoreRefusal(to: HostPlan): QemuRefusal | undefined {
  const allocation = hptAllocationRefusal(to, 'htab_load');
  if (allocation || !kvmRadixOnly(to)) return allocation;
  return {
    message: 'the destination KVM runs no HPT guest (KVM_CAP_PPC_MMU_RADIX=1, KVM_CAP_PPC_MMU_HASH_V3=0); QEMU checks the MMU mode only at CAS (no specific message verified)',
    source: 'Linux arch/powerpc/kvm/book3s_hv.c:kvmppc_hash_v3_possible; QEMU hw/ppc/spapr.c:htab_load',
  };
}
