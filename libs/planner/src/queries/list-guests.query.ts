import { Query } from '@nestjs/cqrs';
import type { GuestState } from '@spapr/domain';
import type { AsOf } from '../history/as-of';

/** Guests with their host, status and configuration: now, or as of a past position or time. */
export class ListGuests extends Query<GuestState[]> {
  constructor(readonly asOf?: AsOf) {
    super();
  }
}
