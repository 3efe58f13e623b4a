import { Command } from '@nestjs/cqrs';
import type { CommandDocument, RecordContext } from '../recording/fleet-recorder';
import type { RecordOutcome } from '../recording/record-outcome';

/** Record one command, or an import's batch all or nothing. */
export class RecordFleetCommands extends Command<RecordOutcome> {
  constructor(
    readonly documents: readonly CommandDocument[],
    readonly context: RecordContext,
  ) {
    super();
  }
}
