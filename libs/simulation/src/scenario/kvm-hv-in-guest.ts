/**
 * The KVM-HV inside a guest P that no snapshot records as a host, derived from P's own boot in the model the way
 * a Linux pseries guest brings kvm_hv up and what it then reports to the QEMU that runs P's guests (domain/nested.md §3):
 * - kvm_hv loads only in a radix P (`kvmppc_core_check_processor_compat_hv`: ISA 3.00 and `radix_enabled()`, a
 *   branch that exists from Linux 4.20; before it, only in HV mode), and only if `kvmhv_nested_init` registers a
 *   partition table with P's hypervisor (H_SET_PARTITION_TABLE), else "kvm-hv: Parent hypervisor does not support
 *   nesting (rc=-2)" and no KVM-HV: the QEMU of P's guest cannot start one;
 * - KVM_CAP_PPC_MMU_RADIX = `hv_enabled && radix_enabled()` = 1; KVM_CAP_PPC_MMU_HASH_V3 =
 *   `kvmppc_hash_v3_possible()`, which needs CPU_FTR_HVMODE, = 0 (§3.2);
 * - KVM_CAP_PPC_RPT_INVALIDATE = 1 from Linux 5.14 (§4);
 * - the QEMU in P offers GTSE with radix, as every released QEMU does;
 * - P's guests run one level above P's host, under P as their parent: the GTSE P registered and P's chain to L0.
 */
import { H_SUCCESS } from '../isa/hcalls';
import { hSetPartitionTable } from '../hypervisor/h-set-partition-table';
import { parentRegistration } from './parent-registration';
import { HostPlan, NestedParentPlan } from './plan';

export type KvmHvInGuest =
  | { readonly kind: 'host'; readonly host: HostPlan }
  /** P runs, but without KVM-HV: the QEMU of its guest cannot start. */
  | { readonly kind: 'no-kvm-hv'; readonly message: string; readonly source: string }
  /** P itself could not have run. */
  | { readonly kind: 'not-modelled'; readonly reason: string };

const COMPAT_HV = 'arch/powerpc/kvm/book3s_hv.c:kvmppc_core_check_processor_compat_hv';

export function kvmHvInGuest(hypervisor: NestedParentPlan): KvmHvInGuest {
  const { guest, runsOn } = hypervisor;
  const registration = parentRegistration(hypervisor);
  if (registration.kind === 'not-booted') return { kind: 'not-modelled', reason: registration.reason };
  if (registration.kind === 'hash') return { kind: 'no-kvm-hv', message: `kvm_hv cannot load in ${guest.name}: it runs the hash MMU`, source: COMPAT_HV };
  if (!guest.kernel.nestedHv) return { kind: 'no-kvm-hv', message: `kvm_hv cannot load in ${guest.name}: its kernel runs KVM-HV only in hypervisor mode (before Linux 4.20)`, source: COMPAT_HV };
  const rc = hSetPartitionTable(guest);
  if (rc !== H_SUCCESS) return { kind: 'no-kvm-hv', message: `kvm-hv: Parent hypervisor does not support nesting (rc=${rc})`, source: 'arch/powerpc/kvm/book3s_hv_nested.c:kvmhv_nested_init' };
  return {
    kind: 'host',
    host: {
      name: guest.name,
      level: runsOn.level + 1,
      accelerator: 'kvm-hv',
      mmuRadix: true,
      mmuHashV3: false,
      rptInvalidate: guest.kernel.kvmRptInvalidate,
      gtseOffered: true,
      parent: hypervisor,
    },
  };
}
