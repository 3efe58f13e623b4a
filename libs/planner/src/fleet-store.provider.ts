import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { FleetStore } from '@spapr/event-store';
import { FLEET_STORE } from './planner.tokens';

/** Closes the SQLite file when the application stops, so the WAL is checkpointed and nothing is left open. */
@Injectable()
export class FleetStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(FLEET_STORE) private readonly store: FleetStore) {}

  onApplicationShutdown(): void {
    if (this.store.db.open) this.store.close();
  }
}
