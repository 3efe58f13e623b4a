import { Query } from '@nestjs/cqrs';
import type { HostListing } from '@spapr/event-store';

export class ListHosts extends Query<HostListing[]> {}
