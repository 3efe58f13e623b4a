/**
 * A plan the simulation replays, as plain data the planner can build from snapshots and boot records
 * (SPEC §1 item 8). Booting an L2 inside an L1 is a `boot` whose host has level 1 and a `parent`; an L3
 * inside an L2 hypervisor one whose host has level 2 and a parent running on a level-1 host. Booting a guest
 * inside a guest that no snapshot records as a host is a `nest`: the model derives that hypervisor itself.
 */
import type { GuestId, HostId } from '@spapr/domain/ids';
import type { Accelerator } from '@spapr/domain/machine/cpu-models';
import { BasePageSize } from '../radix/radix-geometry';

/** The shared accelerator type; a `kvm-pr` host runs hash guests only (guest/hpt.ts). */
export type HostAccelerator = Accelerator;

/**
 * The parent guest P of a level ≥ 1 host, or the guest whose KVM-HV a `nest` plan's guest boots in: the L1 kernel
 * that runs KVM-HV. The simulation boots P itself (`parentRegistration`) to learn the GTSE it registered.
 */
export interface NestedParentPlan {
  /** P's configuration as it last booted (CAS ran then). */
  readonly guest: GuestPlan;
  /** Where P last booted, as that host was then. */
  readonly bootedOn: HostPlan;
  /** Where P runs now: L0 for a level-1 host, a level-1 host for a level-2 host. Only nested API v1 is modelled. */
  readonly runsOn: HostPlan;
}

export interface HostPlan {
  readonly name: HostId;
  /** 0 = bare metal; n ≥ 1 = inside `parent`, a guest of a level n − 1 host. */
  readonly level: number;
  readonly accelerator: HostAccelerator;
  /** `KVM_CAP_PPC_MMU_RADIX` (ignored under TCG). */
  readonly mmuRadix: boolean;
  /** `KVM_CAP_PPC_MMU_HASH_V3` (ignored under TCG; always false in an L1). */
  readonly mmuHashV3: boolean;
  /** The host kernel implements H_RPT_INVALIDATE (`KVM_CAP_PPC_RPT_INVALIDATE`, Linux ≥ 5.14). */
  readonly rptInvalidate: boolean;
  /** QEMU offers GTSE with radix (always on released QEMU; off only under the unmerged KVM_CAP_PPC_GTSE proposal). */
  readonly gtseOffered: boolean;
  readonly parent?: NestedParentPlan;
}

export interface GuestPlan {
  readonly name: GuestId;
  /** CPU model and max-cpu-compat allow ISA 3.00 (POWER9 or later, no power8 compat). */
  readonly isa300: boolean;
  /** QEMU `cap-rpt-invalidate=on`. */
  readonly capRptInvalidate: boolean;
  /** QEMU `cap-nested-hv=on`: its hypervisor accepts the guest's H_SET_PARTITION_TABLE, so the guest can run KVM-HV. */
  readonly capNestedHv: boolean;
  readonly cmdline: { readonly radixHcallInvalidate: boolean; readonly disableRadix: boolean };
  readonly kernel: {
    /** Radix MMU built in (Linux ≥ 4.11). */
    readonly radix: boolean;
    /** GTSE=0 support (Linux ≥ 5.9): knows `radix_hcall_invalidate=on` and H_RPT_INVALIDATE. */
    readonly gtseOptional: boolean;
    /** KVM-HV loads in it as a pseries guest (Linux ≥ 4.20, nested API v1: `kvmhv_nested_init`). */
    readonly nestedHv: boolean;
    /** Its KVM-HV implements H_RPT_INVALIDATE (`KVM_CAP_PPC_RPT_INVALIDATE`, Linux ≥ 5.14). */
    readonly kvmRptInvalidate: boolean;
    readonly basePageSize: BasePageSize;
  };
  readonly vcpus: number;
  /**
   * What the real guest was observed to negotiate at its boot (its recorded ov5, SPEC §2.2): a fact CAS in the
   * model gives way to (guest/cas.ts). Absent for a configuration that has not booted.
   */
  readonly observed?: { readonly mmu: 'radix' | 'hash'; readonly gtse: boolean };
}

export interface WorkloadPlan {
  readonly seed: number;
  readonly steps: number;
}

export type Plan =
  | { readonly kind: 'boot'; readonly guest: GuestPlan; readonly host: HostPlan; readonly workload: WorkloadPlan }
  | { readonly kind: 'migrate'; readonly guest: GuestPlan; readonly from: HostPlan; readonly to: HostPlan; readonly workload: WorkloadPlan }
  /** `guest` boots inside the KVM-HV of guest `hypervisor.guest`, derived from that guest's own boot (kvm-hv-in-guest.ts). */
  | { readonly kind: 'nest'; readonly guest: GuestPlan; readonly hypervisor: NestedParentPlan; readonly workload: WorkloadPlan };
