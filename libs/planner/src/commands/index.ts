import { BackupStoreHandler } from './backup-store.handler';
import { RebuildProjectionsHandler } from './rebuild-projections.handler';
import { RecordFleetCommandsHandler } from './record-fleet-commands.handler';

export const CommandHandlers = [RecordFleetCommandsHandler, RebuildProjectionsHandler, BackupStoreHandler];
