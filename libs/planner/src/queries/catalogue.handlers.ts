import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { GuestState } from '@spapr/domain';
import { FleetStore, HostListing, listGuests, listHosts, verifyChain, VerifyResult } from '@spapr/event-store';
import { FLEET_STORE } from '../planner.tokens';
import { ListGuests } from './list-guests.query';
import { ListHosts } from './list-hosts.query';
import { VerifyChain } from './verify-chain.query';

@QueryHandler(ListHosts)
export class ListHostsHandler implements IQueryHandler<ListHosts, HostListing[]> {
  constructor(@Inject(FLEET_STORE) private readonly store: FleetStore) {}
  async execute(): Promise<HostListing[]> {
    return listHosts(this.store.db);
  }
}

@QueryHandler(ListGuests)
export class ListGuestsHandler implements IQueryHandler<ListGuests, GuestState[]> {
  constructor(@Inject(FLEET_STORE) private readonly store: FleetStore) {}
  async execute(): Promise<GuestState[]> {
    return listGuests(this.store.db);
  }
}

@QueryHandler(VerifyChain)
export class VerifyChainHandler implements IQueryHandler<VerifyChain, VerifyResult> {
  constructor(@Inject(FLEET_STORE) private readonly store: FleetStore) {}
  async execute(): Promise<VerifyResult> {
    return verifyChain(this.store.db);
  }
}

export const QueryHandlers = [ListHostsHandler, ListGuestsHandler, VerifyChainHandler];
