import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { backupTo, FleetStore } from '@spapr/event-store';
import { FLEET_STORE } from '../planner.tokens';
import { BackupStore } from './backup-store.command';

@CommandHandler(BackupStore)
export class BackupStoreHandler implements ICommandHandler<BackupStore, { totalPages: number }> {
  constructor(@Inject(FLEET_STORE) private readonly store: FleetStore) {}

  execute({ destination }: BackupStore): Promise<{ totalPages: number }> {
    return backupTo(this.store.db, destination);
  }
}
