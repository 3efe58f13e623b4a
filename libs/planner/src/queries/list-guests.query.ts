import { Query } from '@nestjs/cqrs';
import type { GuestState } from '@spapr/domain';

export class ListGuests extends Query<GuestState[]> {}
