/**
 * `simulate` (SPEC §1 item 8): a boot or a migration from the fleet, replayed in the MMU simulation, with
 * its outcome and trace. A migration replays the guest's last boot (CAS) on its host as it was then; where
 * the simulated CAS gives another MMU contract than the one recorded (an observed ov5 the model did not
 * predict), the answer says so: the recorded contract is what the real guest runs with.
 */
import type { AnswerContext } from '@spapr/domain/answers/answer-context';
import type { GuestSpec } from '@spapr/domain/caps/host-facts';
import type { FleetView } from '@spapr/domain/fleet/fleet-view';
import { FieldError, fieldError } from '@spapr/domain/field-error';
import { err, ok, Result } from '@spapr/domain/result';
import { Outcome, Plan, runScenario, TraceRecord, WorkloadPlan } from '@spapr/simulation';
import { bootPlanOf, DEFAULT_WORKLOAD, migrationPlanOf } from './simulation-plan';

export interface SimulationAnswer {
  readonly question:
    | { readonly kind: 'boot'; readonly hostId: string; readonly machine: string; readonly cpu: string }
    | { readonly kind: 'migration'; readonly guestId: string; readonly fromHostId: string; readonly toHostId: string };
  readonly plan: Plan;
  readonly outcome: Outcome;
  /** Workload steps that ran to completion. */
  readonly steps: number;
  readonly trace: readonly TraceRecord[];
  /** Where the simulation departs from the recorded facts, in words. */
  readonly notes: readonly string[];
  readonly position: number;
}

const run = (ctx: AnswerContext, question: SimulationAnswer['question'], plan: Plan, notes: (trace: readonly TraceRecord[]) => string[] = () => []): SimulationAnswer => {
  const { outcome, trace, steps } = runScenario(plan);
  return { question, plan, outcome, steps, trace, notes: notes(trace), position: ctx.position };
};

export const simulateBoot = (ctx: AnswerContext, hostId: string, spec: GuestSpec & { readonly guestId?: string; readonly hostId?: string }, workload: WorkloadPlan = DEFAULT_WORKLOAD): Result<SimulationAnswer, FieldError[]> => {
  if (spec.hostId !== undefined && spec.hostId !== hostId) return err([fieldError('hostId', `is ${spec.hostId} in the guest spec but --host is ${hostId}`)]);
  const plan = bootPlanOf(ctx.view, hostId, spec, workload);
  if (!plan.ok) return plan;
  return ok(run(ctx, { kind: 'boot', hostId, machine: spec.machine, cpu: spec.cpu }, plan.value));
};

/** `fleetAt(position)`: the fleet as of an earlier event position (the guest's last boot). */
export const simulateMigration = (ctx: AnswerContext, guestId: string, toHostId: string, workload: WorkloadPlan = DEFAULT_WORKLOAD, fleetAt: (position: number) => FleetView = () => ctx.view): Result<SimulationAnswer, FieldError[]> => {
  const plan = migrationPlanOf(ctx.view, guestId, toHostId, workload, fleetAt);
  if (!plan.ok) return plan;
  const { from } = plan.value;
  const guest = ctx.view.guest(guestId);
  const current = guest?.hostId ?? from.name;
  const recorded = guest?.contract;
  const contractNotes = (trace: readonly TraceRecord[]): string[] => {
    const cas = trace.find((r) => r.event.type === 'cas')?.event;
    if (!recorded || cas?.type !== 'cas' || (cas.negotiated.mmu === recorded.mmu && cas.negotiated.gtse === recorded.gtse)) return [];
    const fmt = (c: { mmu: string; gtse: boolean }) => `mmu=${c.mmu} gtse=${c.gtse ? 1 : 0}`;
    return [`CAS on ${from.name} gives ${fmt(cas.negotiated)}, but ${guestId} runs with the ${fmt(recorded)} recorded at its last boot (${recorded.source}): the simulated guest differs from the real one`];
  };
  const replayedFrom = (): string[] => (from.name === current ? [] : [`replayed from its last boot on ${from.name} (#${guest?.bootPosition}); the recorded moves since kept its contract and LPCR`]);
  const question = { kind: 'migration' as const, guestId, fromHostId: current, toHostId };
  return ok(run(ctx, question, plan.value, (trace) => [...replayedFrom(), ...contractNotes(trace)]));
};
