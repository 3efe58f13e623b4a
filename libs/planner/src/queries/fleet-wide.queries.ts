import { Query } from '@nestjs/cqrs';
import type { AuditReport, DestinationsAnswer } from '@spapr/domain';
import type { QueryScope } from '../history/query-scope';
import type { Scoped } from './check.queries';

/** Every host, grouped into capability classes, each with its verdict for one guest (SPEC §1.4). */
export class ListDestinations extends Query<Scoped<DestinationsAnswer>> {
  constructor(
    readonly guestId: string,
    readonly scope: QueryScope,
    readonly now: string,
  ) {
    super();
  }
}

/** Every placed guest and nested stack checked; at the head it also records AuditCompleted (SPEC §1.5). */
export class AuditFleet extends Query<Scoped<AuditReport & { recordedAt: number | null }>> {
  constructor(
    readonly scope: QueryScope,
    readonly now: string,
    readonly actor: string,
  ) {
    super();
  }
}
