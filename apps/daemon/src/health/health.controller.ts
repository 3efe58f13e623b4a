import { Controller, Get, Inject } from '@nestjs/common';
import type { FleetStore } from '@spapr/event-store';
import { FLEET_STORE } from '@spapr/planner';

/** Open to everyone (SPEC §4.2): is the store readable, and how far is the log and its projection. */
@Controller()
export class HealthController {
  constructor(@Inject(FLEET_STORE) private readonly store: FleetStore) {}

  @Get('health')
  health(): { status: 'ok'; headPosition: number; catalogueCheckpoint: number } {
    return {
      status: 'ok',
      headPosition: this.store.events.head().position,
      catalogueCheckpoint: this.store.projections.checkpoint('catalogue'),
    };
  }
}
