import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { GuestState } from '@spapr/domain';
import { FleetStore, HostListing, listGuests, listHosts, verifyChain, VerifyResult } from '@spapr/event-store';
import type { AsOf } from '../history/as-of';
import { FleetHistory } from '../history/fleet-at';
import { guestListingsOf, hostListingsOf } from '../history/listings-at';
import { FLEET_STORE } from '../planner.tokens';
import { ListGuests } from './list-guests.query';
import { ListHosts } from './list-hosts.query';
import { VerifyChain } from './verify-chain.query';

const fleetAsOf = (store: FleetStore, asOf: AsOf) => {
  const history = new FleetHistory(store);
  return history.fleetAt(history.positionOf(asOf));
};

@QueryHandler(ListHosts)
export class ListHostsHandler implements IQueryHandler<ListHosts, HostListing[]> {
  constructor(@Inject(FLEET_STORE) private readonly store: FleetStore) {}
  async execute({ asOf }: ListHosts): Promise<HostListing[]> {
    return asOf === undefined ? listHosts(this.store.db) : hostListingsOf(fleetAsOf(this.store, asOf));
  }
}

@QueryHandler(ListGuests)
export class ListGuestsHandler implements IQueryHandler<ListGuests, GuestState[]> {
  constructor(@Inject(FLEET_STORE) private readonly store: FleetStore) {}
  async execute({ asOf }: ListGuests): Promise<GuestState[]> {
    return asOf === undefined ? listGuests(this.store.db) : guestListingsOf(fleetAsOf(this.store, asOf));
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
