import { Command } from '@nestjs/cqrs';

/** Drop every projection and replay the log; the result is the number of events replayed. */
export class RebuildProjections extends Command<{ replayed: number }> {}
