/**
 * One question asked of both the rules engine and the simulation, on the same fleet. The simulation runs a
 * short workload; where the rules say unsafe and the short run stayed ok, a long run confirms (a stale entry
 * needs a remote thread to have cached it first, which a short workload may not reach).
 */
import { checkBoot, checkMigration, decide, FleetCommand, InMemoryFleet } from '@spapr/domain';
import type { FieldError, Result } from '@spapr/domain';
import { OutcomeKind, Plan, runScenario } from '@spapr/simulation';
import { bootPlanOf, migrationPlanOf } from '../simulation-plan';
import { GuestSpecDocument } from './mmu-fleet.arbitrary';
import { MmuVerdict, mmuVerdict } from './mmu-rule-scope';

export const SHORT_STEPS = 40;
const CONFIRM_STEPS = 400;
const NOW = '2026-11-24T12:00:00Z';

export interface Comparison {
  readonly rules: MmuVerdict;
  readonly simulation: OutcomeKind;
  readonly plan: Plan;
}

/** Records commands through the real decider, as the store would; a refusal is a bug in the generator. */
export const fleetOf = (commands: readonly FleetCommand[]): InMemoryFleet => {
  const fleet = new InMemoryFleet();
  for (const c of commands) {
    const d = decide(c, fleet);
    if (!d.ok) throw new Error(`${c.type} refused: ${JSON.stringify(d.error)}`);
    fleet.apply(d.value.event);
  }
  return fleet;
};

const value = <T>(r: Result<T, FieldError[]>): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

const simulate = (plan: Plan, rules: MmuVerdict): OutcomeKind => {
  const short = runScenario(plan).outcome.kind;
  if (short !== 'ok' || rules !== 'unsafe') return short;
  return runScenario({ ...plan, workload: { ...plan.workload, steps: CONFIRM_STEPS } }).outcome.kind;
};

const ctx = (view: InMemoryFleet) => ({ view, position: view.position, now: NOW });

export const compareBoot = (fleet: InMemoryFleet, hostId: string, spec: GuestSpecDocument, seed: number): Comparison => {
  const rules = mmuVerdict('boot', value(checkBoot(ctx(fleet), hostId, spec)).findings);
  const plan = value(bootPlanOf(fleet, hostId, spec, { seed, steps: SHORT_STEPS }));
  return { rules, simulation: simulate(plan, rules), plan };
};

export const compareMigration = (fleet: InMemoryFleet, guestId: string, toHostId: string, seed: number): Comparison => {
  const rules = mmuVerdict('migration', value(checkMigration(ctx(fleet), guestId, toHostId)).findings);
  const plan = value(migrationPlanOf(fleet, guestId, toHostId, { seed, steps: 2 * SHORT_STEPS }));
  return { rules, simulation: simulate(plan, rules), plan };
};

/** Comparable: both sides have something to say about the MMU. */
export const comparable = (c: Comparison): boolean => c.rules !== 'out-of-scope' && c.simulation !== 'not-modelled';

export const agrees = (c: Comparison): boolean => (c.rules === 'unsafe') === (c.simulation !== 'ok');
