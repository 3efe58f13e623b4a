/**
 * One question asked of both the rules engine and the simulation, on the same fleet. The simulation runs a
 * short workload; whenever the short run stays ok, a long run confirms it, whatever the rules said (a stale
 * entry needs a remote thread to have cached it first, which a short workload may not reach: a wrong "safe"
 * from the rules must meet the same long run as a right "unsafe").
 */
import { decidedFleet } from '@spapr/domain/testing/decided-fleet';
import { checkBoot, checkMigration, checkNesting, FleetCommand, InMemoryFleet, l2Configurations } from '@spapr/domain';
import type { FieldError, FleetView, Result } from '@spapr/domain';
import type { BootOutcome } from '@spapr/domain/cas/negotiate';
import type { MigrationOutcome } from '@spapr/domain/cas/migrate';
import type { OutcomeKind, Plan } from '@spapr/simulation';
import { bootedGuestPlanOf } from '../guest-plan';
import { hostPlanOf } from '../host-plan';
import { runPlanned } from '../run-planned';
import { bootPlanOf, migrationPlanOf, nestingPlanOf, Planned } from '../simulation-plan';
import { GuestSpecDocument } from './mmu-fleet.arbitrary';
import { MmuVerdict, mmuVerdict } from './mmu-rule-scope';

export const SHORT_STEPS = 40;
const CONFIRM_STEPS = 160;
const NOW = '2026-11-24T12:00:00Z';

/** Where a run stops, in terms both sides share: QEMU refuses (start-up, CAS, destination), the guest dies running, or it runs on. */
export type Stage = 'refused' | 'dies' | 'runs';

/**
 * Keyed by string, not by the outcome unions, so that an outcome the rules add (such as `qemu-aborts`, being
 * added beside this file) does not stop the build: an unmapped one fails the property by name instead.
 */
const RULES_STAGE: Readonly<Record<string, Stage>> = {
  'config-invalid': 'refused',
  'qemu-refuses': 'refused',
  'cas-fails': 'refused',
  'guest-panics': 'dies',
  /** QEMU aborts on an assertion in an hcall handler while the guest runs. */
  'qemu-aborts': 'dies',
  boots: 'runs',
  'destination-refuses': 'refused',
  'stream-fails': 'refused',
  'mmu-restore-fails': 'refused',
  'irq-restore-fails': 'refused',
  'gtse-conflict': 'dies',
  completes: 'runs',
};

const rulesStage = (outcome: BootOutcome | MigrationOutcome): Stage => {
  const stage = RULES_STAGE[outcome];
  if (stage === undefined) throw new Error(`no stage for the rules outcome ${outcome}: map it in RULES_STAGE`);
  return stage;
};

const SIMULATION_STAGE: Readonly<Record<Exclude<OutcomeKind, 'not-modelled'>, Stage>> = {
  'qemu-refused': 'refused',
  'migration-failed': 'refused',
  'guest-panic': 'dies',
  'guest-crash': 'dies',
  'stale-translation': 'dies',
  ok: 'runs',
};

export type Comparison =
  | {
      readonly kind: 'compared';
      readonly rules: Exclude<MmuVerdict, 'out-of-scope'>;
      readonly rulesStage: Stage;
      readonly simulation: Exclude<OutcomeKind, 'not-modelled'>;
      readonly planned: Planned<Plan>;
      /** The run ended at a refusal of the guest's options by the shared QEMU option parser (`resolveGuestConfig`), not in the simulation. */
      readonly refusedBySharedParser: boolean;
    }
  /** Not the simulation's question (another rule family fired, or the simulation does not model it). */
  | { readonly kind: 'skipped'; readonly reason: string };

/** Records commands through the real decider, as the store would; a refusal is a bug in the generator. */
export const fleetOf = (commands: readonly FleetCommand[]): InMemoryFleet => decidedFleet(commands);

const value = <T>(r: Result<T, FieldError[]>): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

const ctx = (view: InMemoryFleet) => ({ view, position: view.position, now: NOW });

const confirming = (plan: Plan): Plan => ({ ...plan, workload: { ...plan.workload, steps: CONFIRM_STEPS } });

/**
 * The short run's outcome if it is not ok, else the long run's. A boot's long run (a `nest` plan's too) begins
 * with its short run (same seed, same boot, no step-dependent event), so for a boot the long run alone is that
 * answer; a migration moves half-way, so its short run is a different run and stays.
 */
const simulate = (planned: Planned<Plan>): OutcomeKind => {
  if (planned.kind === 'plan' && planned.plan.kind !== 'migrate') return runPlanned({ kind: 'plan', plan: confirming(planned.plan) }).outcome.kind;
  const short = runPlanned(planned).outcome.kind;
  if (short !== 'ok' || planned.kind !== 'plan') return short;
  return runPlanned({ kind: 'plan', plan: confirming(planned.plan) }).outcome.kind;
};

const compared = (rules: MmuVerdict, stage: Stage, planned: Planned<Plan>): Comparison => {
  if (rules === 'out-of-scope') return { kind: 'skipped', reason: 'another rule family' };
  const simulation = simulate(planned);
  if (simulation === 'not-modelled') return { kind: 'skipped', reason: 'not modelled' };
  return { kind: 'compared', rules, rulesStage: stage, simulation, planned, refusedBySharedParser: planned.kind === 'refused' };
};

export const compareBoot = (fleet: InMemoryFleet, hostId: string, spec: GuestSpecDocument, seed: number, fleetAt: (position: number) => FleetView): Comparison => {
  const answer = value(checkBoot(ctx(fleet), hostId, spec));
  return compared(mmuVerdict('boot', answer.findings), rulesStage(answer.outcome), value(bootPlanOf(fleet, hostId, spec, { seed, steps: SHORT_STEPS }, fleetAt)));
};

/** Running guest `guestId` as it last booted, in the fleet as it stood then. */
const lastBoot = (fleet: InMemoryFleet, guestId: string, fleetAt: (position: number) => InMemoryFleet) => {
  const atBoot = fleetAt(fleet.guest(guestId)!.bootPosition);
  return { atBoot, booted: atBoot.guest(guestId)! };
};

/** Running guest `guestId`'s last boot (CAS ran then), on its host as that host was then: a migration's source, a would-be L1. */
export const compareLastBoot = (fleet: InMemoryFleet, guestId: string, seed: number, fleetAt: (position: number) => InMemoryFleet): Comparison => {
  const { atBoot, booted } = lastBoot(fleet, guestId, fleetAt);
  return compareBoot(atBoot, booted.hostId, booted.configuration, seed, fleetAt);
};

/**
 * Running guest `guestId`'s last boot as the real guest ran it, with the contract it was observed to negotiate (its
 * recorded ov5, `bootedGuestPlanOf`), for the long run; undefined without an observed contract (`compareLastBoot`
 * runs it then). `checkBoot` predicts from the configuration alone, so no rule ever judges an observed contract at
 * boot: the simulation running it to a failure (a GTSE=1 L2 under an L1 that registered GTSE=0 traps its first
 * global tlbie) has nothing on the rules' side to meet.
 */
export const observedBootOutcome = (fleet: InMemoryFleet, guestId: string, seed: number, fleetAt: (position: number) => InMemoryFleet): OutcomeKind | undefined => {
  const { atBoot, booted } = lastBoot(fleet, guestId, fleetAt);
  const host = atBoot.host(booted.hostId)!;
  if (booted.contract?.source !== 'observed') return undefined;
  const guest = bootedGuestPlanOf(booted, host.hostId, host.snapshot);
  if (!guest.ok) return 'qemu-refused';
  return runPlanned({ kind: 'plan', plan: { kind: 'boot', guest: guest.value, host: hostPlanOf(atBoot, host, fleetAt), workload: { seed, steps: CONFIRM_STEPS } } }).outcome.kind;
};

/**
 * Guest `guestId`'s last recorded move, asked again as the fleet stood just before it (undefined if it never
 * moved). The store records a move QEMU would have refused (facts are facts): a guest its move could not have
 * kept running hosts nothing, whatever the rules answer about it.
 */
export const compareRecordedMove = (commands: readonly FleetCommand[], guestId: string, seed: number, fleetAt: (position: number) => InMemoryFleet): Comparison | undefined => {
  const at = commands.reduce((last, c, i) => (c.type === 'RecordGuestMigration' && c.data.guestId === guestId ? i : last), -1);
  const move = commands[at];
  return move?.type === 'RecordGuestMigration' ? compareMigration(fleetAt(at), guestId, move.data.toHostId, seed, fleetAt) : undefined;
};

export const compareMigration = (fleet: InMemoryFleet, guestId: string, toHostId: string, seed: number, fleetAt: (position: number) => FleetView): Comparison => {
  const answer = value(checkMigration(ctx(fleet), guestId, toHostId));
  if (answer.outcome === 'unknown') return { kind: 'skipped', reason: 'no recorded contract' };
  return compared(mmuVerdict('migration', answer.findings), rulesStage(answer.outcome), value(migrationPlanOf(fleet, guestId, toHostId, { seed, steps: 2 * SHORT_STEPS }, fleetAt)));
};

/**
 * `check nesting` on running guest `guestId`, which no snapshot records as a host, for one L2 configuration it
 * tries (`l2Configurations`, the `candidate`th): that candidate's verdict and outcome, with the findings on the L1
 * itself. Each candidate is its own boot with its own verdict and stage, which the simulation can run; the
 * answer's overall verdict only says whether any candidate is not unsafe, so comparing it would hide a wrong
 * candidate behind a right one. Where the L1 cannot run kvm_hv the rules try no L2 and the answer stops at the
 * L2's QEMU (refused), whichever candidate. The simulation boots the candidate inside the KVM-HV it derives from
 * the guest's own boot (kvm-hv-in-guest.ts).
 */
export const compareNesting = (fleet: InMemoryFleet, guestId: string, candidate: number, seed: number, fleetAt: (position: number) => FleetView): Comparison => {
  const answer = value(checkNesting(ctx(fleet), guestId));
  if (answer.l1.source === 'recorded') return { kind: 'skipped', reason: 'a recorded host (the boot family asks it)' };
  const configurations = l2Configurations(fleet.guest(guestId)!);
  const { name, spec } = configurations[candidate % configurations.length];
  const l1Refused = answer.findings.some((f) => f.severity === 'error');
  const l2 = answer.l2.find((c) => c.name === name);
  if (!l1Refused && !l2) return { kind: 'skipped', reason: 'no L1 facts derived' };
  const planned = value(nestingPlanOf(fleet, guestId, spec, { seed, steps: SHORT_STEPS }, fleetAt));
  return compared(mmuVerdict('nesting', [...answer.findings, ...(l2?.findings ?? [])]), l2 ? rulesStage(l2.outcome) : 'refused', planned);
};

/** The verdicts agree (unsafe exactly when not ok), and so do the stages where the run stops. */
export const agrees = (c: Extract<Comparison, { kind: 'compared' }>): boolean => (c.rules === 'unsafe') === (c.simulation !== 'ok') && c.rulesStage === SIMULATION_STAGE[c.simulation];
