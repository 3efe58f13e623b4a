import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { FleetStore } from '@spapr/event-store';
import { FLEET_STORE } from '../planner.tokens';
import { RebuildProjections } from './rebuild-projections.command';

@CommandHandler(RebuildProjections)
export class RebuildProjectionsHandler implements ICommandHandler<RebuildProjections, { replayed: number }> {
  constructor(@Inject(FLEET_STORE) private readonly store: FleetStore) {}

  async execute(): Promise<{ replayed: number }> {
    return { replayed: this.store.projections.rebuild() };
  }
}
