import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { FleetRecorder } from '../recording/fleet-recorder';
import type { RecordOutcome } from '../recording/record-outcome';
import { RecordFleetCommands } from './record-fleet-commands.command';

@CommandHandler(RecordFleetCommands)
export class RecordFleetCommandsHandler implements ICommandHandler<RecordFleetCommands, RecordOutcome> {
  constructor(private readonly recorder: FleetRecorder) {}

  async execute({ documents, context }: RecordFleetCommands): Promise<RecordOutcome> {
    return this.recorder.record(documents, context);
  }
}
