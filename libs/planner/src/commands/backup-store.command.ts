import { Command } from '@nestjs/cqrs';

/** Copy the live store to `destination` with SQLite's online backup. */
export class BackupStore extends Command<{ totalPages: number }> {
  constructor(readonly destination: string) {
    super();
  }
}
