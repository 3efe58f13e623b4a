import { Query } from '@nestjs/cqrs';
import type { HostListing } from '@spapr/event-store';
import type { AsOf } from '../history/as-of';

/** Hosts by level with their latest snapshot and running guests: now, or as of a past position or time. */
export class ListHosts extends Query<HostListing[]> {
  constructor(readonly asOf?: AsOf) {
    super();
  }
}
