import { readFileSync } from 'node:fs';
import { parseCommandEnvelope } from '@spapr/domain';
import type { FleetStore } from '@spapr/event-store';
import { FleetRecorder, RecordOutcome } from '@spapr/planner';

/** Loads the example fleet into an empty store (all or nothing); a store with any event is left as it is. */
export const seedIfEmpty = (store: FleetStore, file: string, now: () => string): RecordOutcome | 'not-empty' => {
  if (store.events.head().position > 0) return 'not-empty';
  const documents = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      const parsed = parseCommandEnvelope(JSON.parse(line));
      if (!parsed.ok) throw new Error(`${file} line ${i + 1}: ${JSON.stringify(parsed.error)}`);
      return parsed.value;
    });
  return new FleetRecorder(store).record(documents, { actor: 'daemon:seed', now });
};
