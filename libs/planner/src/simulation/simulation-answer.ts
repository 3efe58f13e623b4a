/**
 * `simulate` (SPEC §1 item 8): a boot or a migration from the fleet, replayed in the MMU simulation, with
 * its outcome and trace. A migration replays the guest's last boot (CAS) on its host as it was then; where
 * the simulated CAS gives another MMU contract than the one recorded (an observed ov5 the model did not
 * predict), the answer says so: the recorded contract is what the real guest runs with.
 */
import type { AnswerContext } from '@spapr/domain/answers/answer-context';
import type { GuestSpec } from '@spapr/domain/caps/host-facts';
import type { FleetView } from '@spapr/domain/fleet/fleet-view';
import type { GuestState } from '@spapr/domain/fleet/guest.state';
import { FieldError, fieldError } from '@spapr/domain/field-error';
import { err, ok, Result } from '@spapr/domain/result';
import type { Outcome, Plan, TraceRecord, WorkloadPlan } from '@spapr/simulation';
import { runPlanned } from './run-planned';
import { bootPlanOf, DEFAULT_WORKLOAD, migrationPlanOf, Planned } from './simulation-plan';

export interface SimulationAnswer {
  readonly question:
    | { readonly kind: 'boot'; readonly hostId: string; readonly machine: string; readonly cpu: string }
    | { readonly kind: 'migration'; readonly guestId: string; readonly fromHostId: string; readonly toHostId: string };
  /** Null when QEMU refused the guest's options before anything the simulation models. */
  readonly plan: Plan | null;
  readonly outcome: Outcome;
  /** Workload steps that ran to completion. */
  readonly steps: number;
  readonly trace: readonly TraceRecord[];
  /** Where the simulation departs from the recorded facts, in words. */
  readonly notes: readonly string[];
  readonly position: number;
}

const run = <P extends Plan>(ctx: AnswerContext, question: SimulationAnswer['question'], planned: Planned<P>, notes: (trace: readonly TraceRecord[]) => string[] = () => []): SimulationAnswer => {
  const { outcome, trace, steps } = runPlanned(planned);
  return { question, plan: planned.kind === 'plan' ? planned.plan : null, outcome, steps, trace, notes: notes(trace), position: ctx.position };
};

/** `fleetAt(position)`: the fleet as of an earlier event position (where a nested host's parent guest booted). */
export const simulateBoot = (
  ctx: AnswerContext,
  hostId: string,
  spec: GuestSpec & { readonly guestId?: string; readonly hostId?: string },
  workload: WorkloadPlan = DEFAULT_WORKLOAD,
  fleetAt: (position: number) => FleetView = () => ctx.view,
): Result<SimulationAnswer, FieldError[]> => {
  if (spec.hostId !== undefined && spec.hostId !== hostId) return err([fieldError('hostId', `is ${spec.hostId} in the guest spec but --host is ${hostId}`)]);
  const planned = bootPlanOf(ctx.view, hostId, spec, workload, fleetAt);
  if (!planned.ok) return planned;
  return ok(run(ctx, { kind: 'boot', hostId, machine: spec.machine, cpu: spec.cpu }, planned.value));
};

/** `fleetAt(position)`: the fleet as of an earlier event position (the guest's last boot). */
export const simulateMigration = (ctx: AnswerContext, guestId: string, toHostId: string, workload: WorkloadPlan = DEFAULT_WORKLOAD, fleetAt: (position: number) => FleetView = () => ctx.view): Result<SimulationAnswer, FieldError[]> => {
  const planned = migrationPlanOf(ctx.view, guestId, toHostId, workload, fleetAt);
  if (!planned.ok) return planned;
  const guest = ctx.view.guest(guestId) as GuestState; // migrationPlanOf found it running
  const current = guest.hostId;
  const from = planned.value.kind === 'plan' ? planned.value.plan.from.name : current;
  const recorded = guest.contract;
  const contractNotes = (trace: readonly TraceRecord[]): string[] => {
    const cas = trace.find((r) => r.event.type === 'cas')?.event;
    if (!recorded || cas?.type !== 'cas') return [];
    const fmt = (c: { mmu: string; gtse: boolean }) => `mmu=${c.mmu} gtse=${c.gtse ? 1 : 0}`;
    // An observed contract is a fact the simulated CAS takes over its own model (guest/cas.ts).
    if (recorded.source === 'observed') return [`CAS on ${from} takes the ${fmt(recorded)} observed at its last boot (its recorded ov5), whatever the model would negotiate`];
    if (cas.negotiated.mmu === recorded.mmu && cas.negotiated.gtse === recorded.gtse) return [];
    return [`CAS on ${from} gives ${fmt(cas.negotiated)}, but ${guestId} runs with the ${fmt(recorded)} recorded at its last boot (${recorded.source}): the simulated guest differs from the real one`];
  };
  const replayedFrom = (): string[] => (from === current ? [] : [`replayed from its last boot on ${from} (#${guest.bootPosition}); the recorded moves since kept its contract and LPCR`]);
  const question = { kind: 'migration' as const, guestId, fromHostId: current, toHostId };
  return ok(run(ctx, question, planned.value, (trace) => [...replayedFrom(), ...contractNotes(trace)]));
};
