import type { FleetCommand } from '../fleet/fleet.commands';
import { decide } from '../fleet/fleet.decider';
import type { FleetEvent } from '../fleet/fleet.events';
import { InMemoryFleet } from '../fleet/in-memory-fleet';

/**
 * given(past events).when(command).then(event) / .thenRefuses(field, reason): decider tests read as specifications
 * (STYLE §1 A). The fleet the decider sees is the plain fold of the given events.
 */
export const given = (...past: FleetEvent[]) => ({
  when: (command: FleetCommand) => {
    const decided = () => decide(command, InMemoryFleet.of(past));
    return {
      then(expected: FleetEvent, expectedVersion?: number): void {
        const result = decided();
        if (!result.ok) throw new Error(`expected ${expected.type}, but the command was refused: ${JSON.stringify(result.error)}`);
        expect(result.value.event).toEqual(expected);
        if (expectedVersion !== undefined) expect(result.value.expectedVersion).toBe(expectedVersion);
      },
      thenRefuses(field: string, reason: RegExp): void {
        const result = decided();
        if (result.ok) throw new Error(`expected a refusal on ${field}, but got ${result.value.event.type}`);
        expect(result.error).toEqual([expect.objectContaining({ field, reason: expect.stringMatching(reason) })]);
      },
    };
  },
});
