import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AuditCompleted, AuditReport, DestinationsAnswer, ok } from '@spapr/domain';
import type { FleetStore } from '@spapr/event-store';
import { HeadFleet } from '../history/head-fleet';
import { resolveFleetIndex } from '../history/query-scope';
import { FLEET_STORE } from '../planner.tokens';
import { FleetRecorder } from '../recording/fleet-recorder';
import type { Scoped } from './check.queries';
import { AuditFleet, ListDestinations } from './fleet-wide.queries';

@QueryHandler(ListDestinations)
export class ListDestinationsHandler implements IQueryHandler<ListDestinations, Scoped<DestinationsAnswer>> {
  constructor(
    @Inject(FLEET_STORE) private readonly store: FleetStore,
    private readonly head: HeadFleet,
  ) {}

  async execute({ guestId, scope, now }: ListDestinations): Promise<Scoped<DestinationsAnswer>> {
    const scoped = resolveFleetIndex(this.head, this.store, scope, now);
    if (!scoped.ok) return scoped;
    const answer = scoped.value.index.destinations(guestId, scoped.value.moment);
    return answer.ok ? ok({ ...answer.value, hypothetical: scoped.value.hypothetical }) : answer;
  }
}

@QueryHandler(AuditFleet)
export class AuditFleetHandler implements IQueryHandler<AuditFleet, Scoped<AuditReport & { recordedAt: number | null }>> {
  constructor(
    @Inject(FLEET_STORE) private readonly store: FleetStore,
    private readonly head: HeadFleet,
    private readonly recorder: FleetRecorder,
  ) {}

  async execute({ scope, now, actor }: AuditFleet): Promise<Scoped<AuditReport & { recordedAt: number | null }>> {
    const scoped = resolveFleetIndex(this.head, this.store, scope, now);
    if (!scoped.ok) return scoped;
    const report = scoped.value.index.audit(scoped.value.moment);
    // An audit of the past or of a what-if is a question; only an audit of the fleet as it is becomes a fact.
    const recordedAt = scope.asOf === undefined && !scope.whatIf?.length ? this.recordAudit(report, now, actor) : null;
    return ok({ ...report, recordedAt, hypothetical: scoped.value.hypothetical });
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
