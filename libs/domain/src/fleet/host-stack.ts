import type { FleetView } from './fleet-view';
import type { GuestState } from './guest.state';
import type { HostState } from './host.state';

/** One step down a nested host's stack: the guest it runs in, and the host that guest runs on. */
export interface StackStep {
  readonly guestId: string;
  /** Undefined when no boot of that guest is recorded. */
  readonly guest: GuestState | undefined;
  /** Undefined when unknown, or when the walk has been there already (the recorded facts loop). */
  readonly host: HostState | undefined;
}

/**
 * The steps from a host down to bare metal, each host once: nothing for a bare-metal host. Recorded facts may loop
 * (a store written before the decider refused a boot inside one's own stack), and the walk ends where they do.
 */
export function* stackBelow(view: FleetView, host: HostState): Generator<StackStep> {
  if (!host.snapshot.parentGuestId) return;
  const seen = new Set([host.hostId]);
  for (let at: HostState | undefined = host; at?.snapshot.parentGuestId; ) {
    const guestId = at.snapshot.parentGuestId;
    const guest = view.guest(guestId);
    const below = guest ? view.host(guest.hostId) : undefined;
    at = below && !seen.has(below.hostId) ? below : undefined;
    if (at) seen.add(at.hostId);
    yield { guestId, guest, host: at };
  }
}
