/**
 * A plan the simulation replays, as plain data the planner can build from snapshots and boot records
 * (SPEC §1 item 8). Booting an L2 inside an L1 is a `boot` whose host has level 1 and a `parent`.
 */
import type { GuestId, HostId } from '@spapr/domain/ids';
import type { Accelerator } from '@spapr/domain/machine/cpu-models';
import { BasePageSize } from '../radix/radix-geometry';

/** The shared accelerator type; `kvm-pr` guests are hash-only and reported as not modelled. */
export type HostAccelerator = Accelerator;

export interface NestedParentPlan {
  /** LPCR[GTSE] the parent guest (L1) registered: its negotiated GTSE (SPEC §2.1, from P's events). */
  readonly registeredGtse: boolean;
  /** The parent guest booted with cap-rpt-invalidate=on, so it has FW_FEATURE_RPT_INVALIDATE. */
  readonly firmwareRptInvalidate: boolean;
  /** L0, the host the parent guest runs on. Only nested API v1 is modelled. */
  readonly l0: {
    readonly accelerator: 'kvm-hv' | 'tcg';
    /** L0 kernel ≥ 5.14 (`KVM_CAP_PPC_RPT_INVALIDATE` = 1). */
    readonly rptInvalidate: boolean;
  };
}

export interface HostPlan {
  readonly name: HostId;
  /** 0 = bare metal; 1 = inside `parent`. Deeper hosts are not modelled. */
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
  readonly cmdline: { readonly radixHcallInvalidate: boolean; readonly disableRadix: boolean };
  readonly kernel: {
    /** Radix MMU built in (Linux ≥ 4.11). */
    readonly radix: boolean;
    /** GTSE=0 support (Linux ≥ 5.9): knows `radix_hcall_invalidate=on` and H_RPT_INVALIDATE. */
    readonly gtseOptional: boolean;
    readonly basePageSize: BasePageSize;
  };
  readonly vcpus: number;
}

export interface WorkloadPlan {
  readonly seed: number;
  readonly steps: number;
}

export type Plan =
  | { readonly kind: 'boot'; readonly guest: GuestPlan; readonly host: HostPlan; readonly workload: WorkloadPlan }
  | { readonly kind: 'migrate'; readonly guest: GuestPlan; readonly from: HostPlan; readonly to: HostPlan; readonly workload: WorkloadPlan };
