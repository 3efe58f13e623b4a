import type { FleetCommand } from '../fleet/fleet.commands';
import { decide } from '../fleet/fleet.decider';
import { InMemoryFleet } from '../fleet/in-memory-fleet';

/**
 * A fleet recorded through the real decider, as the store would record it. `strict` treats a refusal as a bug in
 * the test's own history; otherwise refused commands are left out, as an operator's refused commands are.
 */
export const decidedFleet = (commands: readonly FleetCommand[], { strict = true } = {}): InMemoryFleet => {
  const fleet = new InMemoryFleet();
  for (const c of commands) {
    const d = decide(c, fleet);
    if (d.ok) fleet.apply(d.value.event);
    else if (strict) throw new Error(`${c.type} refused: ${JSON.stringify(d.error)}`);
  }
  return fleet;
};
