import type { CasHost } from '../cas/negotiate';
import { stoppedAncestor } from '../fleet/fleet-lookups';
import type { FleetView } from '../fleet/fleet-view';
import type { HostState } from '../fleet/host.state';
import { namelessCasHost } from './nested-names';

/** Hosts that give every guest the same answer. */
export interface CapabilityClass {
  readonly classId: string;
  readonly vector: string;
  readonly representative: HostState;
  /** The representative as the CAS model reads it, with stand-ins for a nested host's names (see `named`). */
  readonly casHost: CasHost;
  readonly hostIds: readonly string[];
}

/**
 * Everything the rules read of a host, and nothing that only names it: two hosts with the same vector get the same
 * verdict for any guest, so `destinations` and `audit` work per class, not per host. The parent's facts count
 * for nested hosts (the GTSE they inherit, the L0 that handles their hcalls), not their names; nor do the host's
 * identity, time and cmdline.
 */
const capabilityVector = (host: HostState, casHost: CasHost): string => {
  const { hostId: _id, observedAt: _at, parentGuestId: _parent, kernel, cpu, ...facts } = host.snapshot;
  return JSON.stringify([facts, cpu.model, kernel.release, casHost.parent ?? null]);
};

/** A short stable name for a class, for tables and links (cyrb53: a 53-bit string hash, no crypto needed). */
export const classIdOf = (vector: string): string => {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < vector.length; i++) {
    const c = vector.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `c-${(4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)}`;
};

/** Usable hosts (not retired; a nested host only while every guest it runs inside runs) grouped by capability vector. */
export const capabilityClasses = (view: FleetView, hosts: Iterable<HostState>): CapabilityClass[] => {
  const byVector = new Map<string, { representative: HostState; casHost: CasHost; hostIds: string[] }>();
  for (const host of hosts) {
    if (host.retiredAt || stoppedAncestor(view, host) !== undefined) continue;
    const casHost = namelessCasHost(view, host);
    const vector = capabilityVector(host, casHost);
    const group = byVector.get(vector) ?? { representative: host, casHost, hostIds: [] };
    group.hostIds.push(host.hostId);
    byVector.set(vector, group);
  }
  return [...byVector].map(([vector, g]) => ({ classId: classIdOf(vector), vector, ...g }));
};
