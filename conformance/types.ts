/**
 * Types of the conformance harness: declarative cases (what real QEMU is asked to do, what the
 * domain docs predict, and what the planner is to be given) and observed outcomes.
 */

/** Outcome classes. `timeout` / `harness-error` mean the harness could not classify. */
export type OutcomeKind =
  | 'booted'
  | 'qemu-refused'
  | 'guest-panic'
  /** QEMU died on a signal (assertion, segfault) after starting: a QEMU bug, not a refusal. */
  | 'qemu-crashed'
  | 'migration-completed'
  | 'migration-completed-with-warning'
  /**
   * QEMU reports the migration completed and the destination running, but the guest shows no sign of
   * running on (no ticks): for the guest the migration failed.
   */
  | 'migration-completed-guest-stalled'
  | 'migration-failed'
  | 'timeout'
  | 'harness-error';

export type Mmu = 'radix' | 'hash';
export type Verdict = 'safe' | 'warn' | 'unsafe';

/** One QEMU invocation of a pSeries guest. */
export interface VmSpec {
  /** QEMU `-machine` value exactly as QEMU takes it. */
  machine: string;
  /** QEMU `-cpu` value (a model under TCG; `host` under KVM). */
  cpu: string;
  /** `-smp` threads per core (default 1). */
  threads?: number;
  /** `-m` value (default 1G for guests, 4G for the L1). */
  memory?: string;
  /** Extra guest kernel command line (appended after `console=hvc0 quiet`). */
  append: string;
  /** `-smp` CPUs (default 1; cores of `threads` threads when threads > 1). */
  cpus?: number;
  /** Harness only (not part of the planner's cmdline): fork/exec stress for this many seconds. */
  stress?: number;
}

/** What the domain docs (`/work/shared/domain/`) predict. */
export interface Expected {
  kind: OutcomeKind;
  mmu?: Mmu;
  /** Exact `/chosen/ibm,architecture-vec-5` hex, when predicted. */
  ov5?: string;
  /** Substring that must appear in the observed message (error, panic or migration warning). */
  message?: string;
  /** Exact QEMU warnings predicted (e.g. the TCG cap warnings); compared as a set when given. */
  warnings?: string[];
  /** Planner verdict class and rule IDs the docs assign. */
  verdict: Verdict;
  rules: string[];
  /** Where in the domain docs the prediction comes from. */
  source: string;
}

/** SPEC §2.1 host snapshot (subset used by the harness; exactly the SPEC field names). */
export interface HostSnapshot {
  hostId: string;
  observedAt: string;
  level: number;
  parentGuestId: string | null;
  cpu: { model: string; dd?: string };
  accelerator: 'kvm-hv' | 'kvm-pr' | 'tcg';
  kernel: { release: string; cmdline: string };
  qemu: { version: string };
  kvm?: {
    caps: Record<string, number>;
    nestedEnabled: boolean;
    ramPageSizeKiB?: number;
    mitigations?: Record<string, string>;
    decrBits?: number;
  };
}

/** SPEC §2.2 guest boot (without `at` / `observed`: a `check boot --guest-spec` document). */
export interface GuestSpec {
  guestId: string;
  hostId: string;
  machine: string;
  cpu: string;
  smp: { threads: number };
  kernel: { release: string; cmdline: string };
}

export interface PlannerBoot {
  hosts: HostSnapshot[];
  guest: GuestSpec;
  /** `spapr-planner check boot --guest-spec <guest> --host <hostId>` */
  check: { verb: 'boot'; hostId: string };
}

export interface PlannerMigration {
  hosts: HostSnapshot[];
  /** Recorded boot of the guest on the source host (add `at` and `observed` when recording). */
  guest: GuestSpec;
  /** `spapr-planner check migration --guest G --to H [--machine M] [--cpu C]` */
  check: { verb: 'migration'; guestId: string; toHostId: string; machine?: string; cpu?: string };
}

/** A hypervisor guest of a nested stack, and what the case needs from the KVM probe it runs (kvm-probe.ts). */
export interface HypervisorLevel {
  /** Level of the host it is (= its own level as a guest: L1 → 1). */
  level: number;
  guestId: string;
  /**
   * `host`: its level-n snapshot is built from its probe (cases.ts `probedHost`); `cannot-host`: the check is
   * `check nesting` on it (SPEC §2.1 rejects its snapshot), so its probe must not start a VM.
   */
  role: 'host' | 'cannot-host';
}

export interface PlannerNesting {
  /**
   * L0 (TCG), then the level ≥ 1 hosts as the KVM probe inside each hypervisor guest reported them. A case
   * as built holds the L0 only; the runner adds the probed hosts (cases.ts `withProbedHosts`).
   */
  hosts: HostSnapshot[];
  /** The hypervisor guests, outermost first, whose probes the planner documents depend on. */
  hypervisors: HypervisorLevel[];
  /** Boots to record, outermost first (L1 on the L0, L2 on the L1 host, ...). */
  guests: GuestSpec[];
  /**
   * `check boot --guest-spec <target guest> --host <hostId>` when every hypervisor level can host
   * (its level-n host snapshot is valid), else `check nesting --guest <guestId>` on the hypervisor
   * guest that cannot (its host snapshot would be rejected: NEST-L1-HASH, NEST-PARENT-NO-NESTED-HV).
   */
  check:
    | { verb: 'boot'; guestId: string; hostId: string }
    | { verb: 'nesting'; guestId: string }
    /** A guest migrated within its hypervisor level: `check migration --guest G --to <that level's host>`. */
    | { verb: 'migration'; guestId: string; toHostId: string; machine?: string; cpu?: string };
}

interface CaseBase {
  id: string;
  title: string;
  expected: Expected;
}

export interface BootCase extends CaseBase {
  kind: 'boot';
  vm: VmSpec;
  planner: PlannerBoot;
}

export interface MigrationCase extends CaseBase {
  kind: 'migration';
  src: VmSpec;
  /** Destination `-machine` / `-cpu`; same as source when omitted. */
  dst: { machine?: string; cpu?: string };
  planner: PlannerMigration;
}

/** One level of a nested stack. Level 1 runs under TCG on L0; deeper levels under KVM. */
export interface NestedLevel {
  vm: VmSpec;
}

export interface NestedCase extends CaseBase {
  kind: 'nested';
  /** levels[0] = L1 (a hypervisor), ..., last = target guest (boots and reports). */
  levels: NestedLevel[];
  /**
   * Present: the target guest is live-migrated inside its parent hypervisor, from one KVM QEMU to another
   * (guest/init `runmig`), to this destination `-machine`/`-cpu` (the source's when omitted).
   */
  migrate?: { machine?: string; cpu?: string };
  planner: PlannerNesting;
}

export type Case = BootCase | MigrationCase | NestedCase;

/** One classified observation. */
export interface Outcome {
  kind: OutcomeKind;
  mmu?: Mmu;
  ov5?: string;
  /** Error / panic / migration-failure message, or the migration warning. */
  message?: string;
  /** QEMU warnings printed (startup warnings for boots; destination warnings for migrations). */
  warnings: string[];
  /** Extra facts: per-level summary for nested cases, guest liveness after migration, etc. */
  details: string[];
  /** For nested cases: the level whose outcome this is. */
  level?: number;
  /** For nested cases: each level that ran, outermost first. */
  levels?: LevelOutcome[];
}

export interface LevelOutcome {
  level: number;
  kind: OutcomeKind;
  mmu?: Mmu;
  ov5?: string;
  message?: string;
  /** The raw KVM probe of a hypervisor level (`CONFORMANCE[Ln] KVM NAME=value`), when it ran one. */
  probe?: Record<string, string>;
}

export interface Observation {
  id: string;
  kind: Case['kind'];
  title: string;
  expected: Expected;
  observed: Outcome;
  /** Outcome class, MMU, ov5 and expected message all match the domain docs. */
  agrees: boolean;
  disagreement?: string;
  /** Verdict class of the real outcome (unsafe = refused/panic/failed; warn = any QEMU or guest warning). */
  observedVerdict?: Verdict;
  /** Set when observedVerdict differs from expected.verdict (e.g. an unpredicted QEMU warning). */
  verdictNote?: string;
  seconds: number;
  logs: string[];
  planner: PlannerBoot | PlannerMigration | PlannerNesting;
  /**
   * Why the planner documents are incomplete or rest on a wrong premise (a host level whose probe is missing or
   * says it cannot host; a level checked as unable to host whose probe started a VM). Each fails the comparison.
   */
  plannerProblems?: string[];
}
