import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AuditCompleted, AuditReport, DestinationsAnswer, FleetIndex, ok } from '@spapr/domain';
import type { FleetStore } from '@spapr/event-store';
import { resolveFleetScope } from '../history/query-scope';
import { FLEET_STORE } from '../planner.tokens';
import { FleetRecorder } from '../recording/fleet-recorder';
import type { Scoped } from './check.queries';
import { AuditFleet, ListDestinations } from './fleet-wide.queries';

@QueryHandler(ListDestinations)
export class ListDestinationsHandler implements IQueryHandler<ListDestinations, Scoped<DestinationsAnswer>> {
  constructor(@Inject(FLEET_STORE) private readonly store: FleetStore) {}
  async execute({ guestId, scope, now }: ListDestinations): Promise<Scoped<DestinationsAnswer>> {
    const ctx = resolveFleetScope(this.store, scope, now);
    if (!ctx.ok) return ctx;
    const answer = new FleetIndex(ctx.value, ctx.value.view.hosts.values(), ctx.value.view.guests.values()).destinations(guestId);
    return answer.ok ? ok({ ...answer.value, hypothetical: ctx.value.hypothetical }) : answer;
  }
}

@QueryHandler(AuditFleet)
export class AuditFleetHandler implements IQueryHandler<AuditFleet, Scoped<AuditReport & { recordedAt: number | null }>> {
  constructor(
    @Inject(FLEET_STORE) private readonly store: FleetStore,
    private readonly recorder: FleetRecorder,
  ) {}

  async execute({ scope, now, actor }: AuditFleet): Promise<Scoped<AuditReport & { recordedAt: number | null }>> {
    const ctx = resolveFleetScope(this.store, scope, now);
    if (!ctx.ok) return ctx;
    const report = new FleetIndex(ctx.value, ctx.value.view.hosts.values(), ctx.value.view.guests.values()).audit();
    // An audit of the past or of a what-if is a question; only an audit of the fleet as it is becomes a fact.
    const recordedAt = scope.asOf === undefined && !scope.whatIf?.length ? this.recordAudit(report, now, actor) : null;
    return ok({ ...report, recordedAt, hypothetical: ctx.value.hypothetical });
  }

  private recordAudit(report: AuditReport, now: string, actor: string): number {
    const event: AuditCompleted = {
      type: 'AuditCompleted',
      data: {
        at: now,
        auditedPosition: report.position,
        verdict: report.verdict,
        guests: report.guests,
        hosts: report.hosts,
        classes: report.classes,
        errors: report.findings.filter((f) => f.severity === 'error').length,
        warnings: report.findings.filter((f) => f.severity === 'warning').length,
        stranded: report.stranded.length,
        strandedGuests: report.stranded.slice(0, 100).map((s) => s.guestId),
      },
    };
    return this.recorder.recordPlannerEvent('audit', event, { actor, now: () => now }).position;
  }
}

export const FleetWideHandlers = [ListDestinationsHandler, AuditFleetHandler];
