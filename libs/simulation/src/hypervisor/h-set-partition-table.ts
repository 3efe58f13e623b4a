/**
 * H_SET_PARTITION_TABLE, the first hcall an L1's kvm_hv makes (`kvmhv_nested_init`, book3s_hv_nested.c), as
 * its hypervisor answers it (domain/nested.md §3.1): a Linux KVM-HV L0 handles it only when nesting is enabled
 * for that VM (`kvmppc_pseries_do_hcall`: `nesting_enabled(kvm)`, set when the guest's QEMU enabled
 * KVM_CAP_PPC_NESTED_HV for `cap-nested-hv=on`), QEMU TCG only with the cap (`h_set_ptbl`: no
 * SPAPR_CAP_NESTED_KVM_HV → H_FUNCTION). Either way the guest's `cap-nested-hv` decides; the partition table
 * the model registers is always valid (no H_PARAMETER).
 */
import { H_FUNCTION, H_SUCCESS, HcallReturn } from '../isa/hcalls';
import { GuestPlan } from '../scenario/plan';

export function hSetPartitionTable(caller: Pick<GuestPlan, 'capNestedHv'>): HcallReturn {
  return caller.capNestedHv ? H_SUCCESS : H_FUNCTION;
}
