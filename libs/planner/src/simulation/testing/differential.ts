/**
 * One question asked of both the rules engine and the simulation, on the same fleet. The simulation runs a
 * short workload; whenever the short run stays ok, a long run confirms it, whatever the rules said (a stale
 * entry needs a remote thread to have cached it first, which a short workload may not reach: a wrong "safe"
 * from the rules must meet the same long run as a right "unsafe").
 */
import { decidedFleet } from '@spapr/domain/testing/decided-fleet';
import { checkBoot, checkMigration, FleetCommand, InMemoryFleet } from '@spapr/domain';
import type { FieldError, FleetView, Result } from '@spapr/domain';
import type { BootOutcome } from '@spapr/domain/cas/negotiate';
import type { MigrationOutcome } from '@spapr/domain/cas/migrate';
import type { OutcomeKind, Plan } from '@spapr/simulation';
import { runPlanned } from '../run-planned';
import { bootPlanOf, migrationPlanOf, Planned } from '../simulation-plan';
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
 * The short run's outcome if it is not ok, else the long run's. A boot's long run begins with its short run
 * (same seed, same boot, no step-dependent event), so for a boot the long run alone is that answer; a
 * migration moves half-way, so its short run is a different run and stays.
 */
const simulate = (planned: Planned<Plan>): OutcomeKind => {
  if (planned.kind === 'plan' && planned.plan.kind === 'boot') return runPlanned({ kind: 'plan', plan: confirming(planned.plan) }).outcome.kind;
  const short = runPlanned(planned).outcome.kind;
  if (short !== 'ok' || planned.kind !== 'plan') return short;
  return runPlanned({ kind: 'plan', plan: confirming(planned.plan) }).outcome.kind;
};

const compared = (rules: MmuVerdict, outcome: BootOutcome | MigrationOutcome, planned: Planned<Plan>): Comparison => {
  if (rules === 'out-of-scope') return { kind: 'skipped', reason: 'another rule family' };
  const simulation = simulate(planned);
  if (simulation === 'not-modelled') return { kind: 'skipped', reason: 'not modelled' };
  return { kind: 'compared', rules, rulesStage: rulesStage(outcome), simulation, planned, refusedBySharedParser: planned.kind === 'refused' };
};

export const compareBoot = (fleet: InMemoryFleet, hostId: string, spec: GuestSpecDocument, seed: number, fleetAt: (position: number) => FleetView): Comparison => {
  const answer = value(checkBoot(ctx(fleet), hostId, spec));
  return compared(mmuVerdict('boot', answer.findings), answer.outcome, value(bootPlanOf(fleet, hostId, spec, { seed, steps: SHORT_STEPS }, fleetAt)));
};

export const compareMigration = (fleet: InMemoryFleet, guestId: string, toHostId: string, seed: number, fleetAt: (position: number) => FleetView): Comparison => {
  const answer = value(checkMigration(ctx(fleet), guestId, toHostId));
  if (answer.outcome === 'unknown') return { kind: 'skipped', reason: 'no recorded contract' };
  return compared(mmuVerdict('migration', answer.findings), answer.outcome, value(migrationPlanOf(fleet, guestId, toHostId, { seed, steps: 2 * SHORT_STEPS }, fleetAt)));
};

/** The verdicts agree (unsafe exactly when not ok), and so do the stages where the run stops. */
export const agrees = (c: Extract<Comparison, { kind: 'compared' }>): boolean => (c.rules === 'unsafe') === (c.simulation !== 'ok') && c.rulesStage === SIMULATION_STAGE[c.simulation];
