import type { FleetView } from '../fleet/fleet-view';
import type { HostState } from '../fleet/host.state';
import { stackBelow } from '../fleet/host-stack';
import type { Evidence } from './finding';
import { guestEvidence, hostEvidence } from './evidence';

/** When and where an answer is computed: the fleet (as of some position) and the time ages are measured from. */
export interface AnswerContext {
  readonly view: FleetView;
  /** The event position the fleet reflects (SPEC §1: every answer states it). */
  readonly position: number;
  readonly now: string;
}

/** A host's snapshot and, for a nested host, every guest it runs inside with that guest's boot and host, down to L0. */
export const stackEvidence = (ctx: AnswerContext, host: HostState): Evidence[] => {
  const out: Evidence[] = [hostEvidence(host, ctx.now)];
  for (const { guest, host: below } of stackBelow(ctx.view, host)) {
    if (!guest) break;
    out.push(guestEvidence(guest, ctx.now));
    if (!below) break;
    out.push(hostEvidence(below, ctx.now));
  }
  return out;
};
