import { FieldError, fieldError } from '../field-error';
import type { FleetView } from './fleet-view';
import type { GuestState } from './guest.state';
import type { HostState } from './host.state';
import { stackBelow } from './host-stack';

export const isFieldError = (x: unknown): x is FieldError => typeof x === 'object' && x !== null && 'reason' in x;

/**
 * The first guest, walking up from a nested host through the guests it runs in, that is not running: a host inside a
 * stopped guest is gone, however its own parent's record reads (stopping a guest records nothing about the guests
 * inside it). Undefined for a bare-metal host or an unbroken stack.
 */
export const stoppedAncestor = (view: FleetView, host: HostState): string | undefined => {
  for (const step of stackBelow(view, host)) if (step.guest?.status !== 'running') return step.guestId;
  return undefined;
};

/** A host that can take guests: known, not retired, and (when nested) every guest it runs inside still running. */
export const usableHost = (view: FleetView, hostId: string, field: string): FieldError | HostState => {
  const host = view.host(hostId);
  if (!host) return fieldError(field, `unknown host ${hostId}: record a snapshot of it first`);
  if (host.retiredAt) return fieldError(field, `host ${hostId} was retired at ${host.retiredAt}`);
  const stopped = stoppedAncestor(view, host);
  if (stopped !== undefined) return fieldError(field, `host ${hostId} runs inside guest ${stopped}, which is not running`);
  return host;
};

export const runningGuest = (view: FleetView, guestId: string, verb: string): FieldError | GuestState => {
  const guest = view.guest(guestId);
  if (!guest) return fieldError('guestId', `unknown guest ${guestId}: record its boot first`);
  if (guest.status !== 'running') return fieldError('guestId', `guest ${guestId} is stopped; only a running guest ${verb}`);
  return guest;
};

/** Whether `hostId` is a hypervisor running inside guest `guestId`, at any depth: a guest cannot move into itself. */
export const hostRunsInside = (view: FleetView, hostId: string, guestId: string): boolean => {
  const host = view.host(hostId);
  if (!host) return false;
  for (const step of stackBelow(view, host)) if (step.guestId === guestId) return true;
  return false;
};
