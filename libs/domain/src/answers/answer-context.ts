import type { FleetView } from '../fleet/fleet-view';
import type { HostState } from '../fleet/host.state';
import type { Evidence } from './finding';
import { guestEvidence, hostEvidence } from './evidence';

/** When and where an answer is computed: the fleet (as of some position) and the time ages are measured from. */
export interface AnswerContext {
  readonly view: FleetView;
  /** The event position the fleet reflects (SPEC §1: every answer states it). */
  readonly position: number;
  readonly now: string;
}

/**
 * A host's snapshot and, for a nested host, every parent guest's boot and host snapshot down to L0, each once: the
 * recorded facts may loop (a guest booted later inside a hypervisor that runs in it), and the walk stops there.
 */
export const stackEvidence = (ctx: AnswerContext, host: HostState): Evidence[] => {
  const out: Evidence[] = [hostEvidence(host, ctx.now)];
  // Bare-metal hosts, most of a fleet, have no stack below them: nothing to walk or remember.
  const seen = host.snapshot.parentGuestId ? new Set([host.hostId]) : null;
  let current: HostState | undefined = host;
  while (seen && current?.snapshot.parentGuestId) {
    const parent = ctx.view.guest(current.snapshot.parentGuestId);
    if (!parent) break;
    out.push(guestEvidence(parent, ctx.now));
    current = ctx.view.host(parent.hostId);
    if (!current || seen.has(current.hostId)) break;
    seen.add(current.hostId);
    out.push(hostEvidence(current, ctx.now));
  }
  return out;
};
