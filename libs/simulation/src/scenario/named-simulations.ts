/**
 * Simulations with names, the seed scenario of the product first (domain/nested.md §3.4): an L1 that
 * booted `radix_hcall_invalidate=on` (LPCR[GTSE]=0) runs an L2 whose QEMU offered GTSE=1 at CAS.
 */
import { GuestPlan, HostPlan, Plan } from './plan';

export const DEFAULT_GUEST: GuestPlan = {
  name: 'g',
  isa300: true,
  capRptInvalidate: false,
  capNestedHv: false,
  cmdline: { radixHcallInvalidate: false, disableRadix: false },
  kernel: { radix: true, gtseOptional: true, nestedHv: true, kvmRptInvalidate: true, basePageSize: '64K' },
  vcpus: 4,
};

/** A GTSE=0 guest that flushes with H_RPT_INVALIDATE. */
export const GTSE0_GUEST: GuestPlan = {
  ...DEFAULT_GUEST,
  capRptInvalidate: true,
  cmdline: { radixHcallInvalidate: true, disableRadix: false },
};

/** POWER9/10 bare metal, Linux ≥ 5.14 KVM-HV. */
export const KVM_L0_HOST: HostPlan = {
  name: 'l0',
  level: 0,
  accelerator: 'kvm-hv',
  mmuRadix: true,
  mmuHashV3: true,
  rptInvalidate: true,
  gtseOffered: true,
};

/** Linux < 5.14 KVM-HV: no H_RPT_INVALIDATE. */
const OLD_KVM_L0_HOST: HostPlan = { ...KVM_L0_HOST, name: 'l0-old', rptInvalidate: false };

export const TCG_HOST: HostPlan = { ...KVM_L0_HOST, name: 'tcg', accelerator: 'tcg', rptInvalidate: false };

/** The L1 kernels: booted with `radix_hcall_invalidate=on` and cap-rpt-invalidate (GTSE=0), or by default (GTSE=1). */
const L1_GTSE0_GUEST: GuestPlan = { ...GTSE0_GUEST, name: 'l1', capNestedHv: true };
const L1_GTSE1_GUEST: GuestPlan = { ...DEFAULT_GUEST, name: 'l1', capNestedHv: true };

/** A level-1 host: an L1 guest of `KVM_L0_HOST` that booted with `radix_hcall_invalidate=on` and cap-rpt-invalidate. */
export const L1_GTSE0_HOST: HostPlan = {
  name: 'l1-gtse0',
  level: 1,
  accelerator: 'kvm-hv',
  mmuRadix: true,
  mmuHashV3: false,
  rptInvalidate: true,
  gtseOffered: true,
  parent: { guest: L1_GTSE0_GUEST, bootedOn: KVM_L0_HOST, runsOn: KVM_L0_HOST },
};

export const L1_GTSE1_HOST: HostPlan = {
  ...L1_GTSE0_HOST,
  name: 'l1-gtse1',
  parent: { guest: L1_GTSE1_GUEST, bootedOn: KVM_L0_HOST, runsOn: KVM_L0_HOST },
};

const SEED_WORKLOAD = { seed: 1, steps: 200 };

export interface NamedSimulation {
  readonly description: string;
  readonly plan: Plan;
}

export const NAMED_SIMULATIONS = {
  'seed/l2-gtse1-in-l1-gtse0': {
    description: 'L1 with GTSE=0, L2 told GTSE=1 by CAS: the L2 kernel flushes with tlbie and its first tlbie traps (HEAI → L1 → Program)',
    plan: { kind: 'boot', guest: { ...DEFAULT_GUEST, name: 'l2' }, host: L1_GTSE0_HOST, workload: SEED_WORKLOAD },
  },
  'seed/l2-gtse0-rpt-invalidate-in-l1-gtse0': {
    description: 'The same L2 with radix_hcall_invalidate=on and cap-rpt-invalidate=on: it flushes with H_RPT_INVALIDATE, which L0 handles against its shadow LPID',
    plan: { kind: 'boot', guest: { ...GTSE0_GUEST, name: 'l2' }, host: L1_GTSE0_HOST, workload: SEED_WORKLOAD },
  },
  'nested/l2-gtse0-old-l0': {
    description: 'L0 older than 5.14 reflects the L2\'s H_RPT_INVALIDATE to an L1 with GTSE=1, whose tlbie reaches only its own LPID',
    plan: {
      kind: 'boot',
      guest: { ...GTSE0_GUEST, name: 'l2' },
      host: { ...L1_GTSE1_HOST, parent: { guest: L1_GTSE1_GUEST, bootedOn: OLD_KVM_L0_HOST, runsOn: OLD_KVM_L0_HOST } },
      workload: SEED_WORKLOAD,
    },
  },
  'tcg/radix-hcall-invalidate': {
    description: 'TCG, radix_hcall_invalidate=on without cap-rpt-invalidate: the ground-truth panic (domain/cas-ov5.md §4)',
    plan: { kind: 'boot', guest: { ...DEFAULT_GUEST, cmdline: { radixHcallInvalidate: true, disableRadix: false } }, host: TCG_HOST, workload: SEED_WORKLOAD },
  },
  'tcg/cap-rpt-invalidate': {
    description: 'TCG with cap-rpt-invalidate=on: QEMU refuses to start',
    plan: { kind: 'boot', guest: GTSE0_GUEST, host: TCG_HOST, workload: SEED_WORKLOAD },
  },
  'migrate/gtse1-guest-into-l1-gtse0': {
    description: 'A GTSE=1 guest migrated into an L1 with GTSE=0 keeps flushing with tlbie, which now traps',
    plan: { kind: 'migrate', guest: DEFAULT_GUEST, from: L1_GTSE1_HOST, to: L1_GTSE0_HOST, workload: SEED_WORKLOAD },
  },
  'benchmark/1000-steps-4-cpus': {
    description: 'A 1,000-step workload on 4 threads of a KVM-HV host (the benchmark target: < 100 ms)',
    plan: { kind: 'boot', guest: DEFAULT_GUEST, host: KVM_L0_HOST, workload: { seed: 2026, steps: 1000 } },
  },
} as const satisfies Readonly<Record<string, NamedSimulation>>;

export type SimulationName = keyof typeof NAMED_SIMULATIONS;
