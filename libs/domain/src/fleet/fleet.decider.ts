import { resolveGuestConfig } from '../caps/guest-caps';
import { FieldError, fieldError } from '../field-error';
import { guestStreamId, hostStreamId } from '../ids';
import type { GuestBoot } from '../input/guest-boot.schema';
import type { HostSnapshot } from '../input/host-snapshot.schema';
import { err, ok, Result } from '../result';
import type { FleetCommand } from './fleet.commands';
import type { FleetEvent } from './fleet.events';
import type { FleetView } from './fleet-view';
import { casHostOf } from './cas-host';
import { hostRunsInside, isFieldError, runningGuest, usableHost } from './fleet-lookups';
import type { GuestState } from './guest.state';
import { nestedHostRefusal } from './nested-host-facts';
import { recordBoot } from './recorded-contract';

/** The one event a command records, on the stream it belongs to, at the version the decision was made on. */
export interface Decision {
  readonly streamId: string;
  readonly expectedVersion: number;
  readonly event: FleetEvent;
}

export type Decided = Result<Decision, FieldError[]>;

const refuse = (field: string, reason: string): Decided => err([fieldError(field, reason)]);
const Z = 90;
/**
 * Whether time `a` is earlier than `b`. Two UTC times of one shape (same length, both in Z) order as their text
 * does, which spares the parse on an import's hot path; times with offsets or of different precisions are parsed.
 */
const isBefore = (a: string, b: string): boolean =>
  a.length === b.length && a.charCodeAt(a.length - 1) === Z && b.charCodeAt(b.length - 1) === Z ? a < b : Date.parse(a) < Date.parse(b);

/** The caps a destination QEMU runs a configuration with (resolutions are memoised: many guests, few classes). */
const destinationCaps = (host: HostSnapshot, machine: string, cpu: string, threads: number) => {
  const config = resolveGuestConfig(host, { machine, cpu, smp: { threads } });
  return config.ok ? config.config.effectiveCaps : null;
};

const notBeforeLastEvent = (guest: GuestState | undefined, at: string): FieldError | undefined =>
  guest && isBefore(at, guest.lastEventAt) ? fieldError('at', `is earlier than guest ${guest.guestId}'s last recorded event (${guest.lastEventAt})`) : undefined;

const decideHostSnapshot = (s: HostSnapshot, view: FleetView): Decided => {
  const host = view.host(s.hostId);
  if (host?.retiredAt) return refuse('hostId', `host ${s.hostId} was retired at ${host.retiredAt}; a retired host takes no snapshots`);
  if (host && isBefore(s.observedAt, host.snapshot.observedAt)) {
    return refuse('observedAt', `is older than host ${s.hostId}'s last snapshot (${host.snapshot.observedAt})`);
  }
  if (s.parentGuestId) {
    const parent = view.guest(s.parentGuestId);
    if (!parent) return refuse('parentGuestId', `unknown guest ${s.parentGuestId}: a level-${s.level} host runs inside a booted guest`);
    if (parent.status !== 'running') return refuse('parentGuestId', `guest ${s.parentGuestId} is stopped; a level-${s.level} host runs inside a running guest`);
    const parentHost = view.host(parent.hostId);
    if (parentHost?.snapshot.level !== s.level - 1) {
      return refuse('parentGuestId', `guest ${s.parentGuestId} runs on host ${parent.hostId} at level ${parentHost?.snapshot.level}; a level-${s.level} host needs a guest on a level-${s.level - 1} host`);
    }
    const refusal = nestedHostRefusal(s, parent, parentHost.snapshot);
    if (refusal) return err([refusal]);
  }
  return ok({ streamId: hostStreamId(s.hostId), expectedVersion: host?.version ?? 0, event: { type: 'HostSnapshotRecorded', data: s } });
};

const decideGuestBoot = (b: GuestBoot, view: FleetView): Decided => {
  const host = usableHost(view, b.hostId, 'hostId');
  if (isFieldError(host)) return err([host]);
  const guest = view.guest(b.guestId);
  if (guest?.status === 'running') {
    return refuse('guestId', `guest ${b.guestId} is already running on host ${guest.hostId} (booted ${guest.bootedAt}); record its stop first, or a reboot`);
  }
  const late = notBeforeLastEvent(guest, b.at);
  if (late) return err([late]);
  const cas = recordBoot(casHostOf(view, host), b, b.observed?.ov5);
  return ok({ streamId: guestStreamId(b.guestId), expectedVersion: guest?.version ?? 0, event: { type: 'GuestBooted', data: { ...b, cas } } });
};

/** decide(command, fleet) → the event to record, or why not (STYLE §1 A). Time comes in the command, never from a clock. */
export const decide = (command: FleetCommand, view: FleetView): Decided => {
  switch (command.type) {
    case 'RecordHostSnapshot':
      return decideHostSnapshot(command.data, view);
    case 'RecordGuestBoot':
      return decideGuestBoot(command.data, view);
    case 'RecordGuestMigration': {
      const { guestId, toHostId, at, machine, cpu } = command.data;
      const guest = runningGuest(view, guestId, 'migrates');
      if (isFieldError(guest)) return err([guest]);
      if (guest.hostId === toHostId) return refuse('toHostId', `is guest ${guestId}'s current host`);
      if (hostRunsInside(view, toHostId, guestId)) return refuse('toHostId', `runs inside guest ${guestId} itself`);
      const host = usableHost(view, toHostId, 'toHostId');
      if (isFieldError(host)) return err([host]);
      const late = notBeforeLastEvent(guest, at);
      if (late) return err([late]);
      // The destination QEMU's effective caps: the guest runs with them from now on (spapr_caps_post_migration).
      const effectiveCaps = destinationCaps(host.snapshot, machine ?? guest.configuration.machine, cpu ?? guest.configuration.cpu, guest.configuration.smp?.threads ?? 1);
      const data = { guestId, fromHostId: guest.hostId, toHostId, at, ...(machine ? { machine } : {}), ...(cpu ? { cpu } : {}), effectiveCaps };
      return ok({ streamId: guestStreamId(guestId), expectedVersion: guest.version, event: { type: 'GuestMigrated', data } });
    }
    case 'RecordGuestReboot': {
      const { guestId, at, machine, kernel } = command.data;
      const guest = runningGuest(view, guestId, 'reboots');
      if (isFieldError(guest)) return err([guest]);
      const late = notBeforeLastEvent(guest, at);
      if (late) return err([late]);
      const host = view.host(guest.hostId);
      if (!host) throw new Error(`guest ${guestId} runs on unknown host ${guest.hostId}`);
      const spec = { ...guest.configuration, ...(machine ? { machine } : {}), ...(kernel ? { kernel } : {}) };
      const cas = recordBoot(casHostOf(view, host), spec, undefined);
      const data = { guestId, hostId: guest.hostId, at, ...(machine ? { machine } : {}), ...(kernel ? { kernel } : {}), cas };
      return ok({ streamId: guestStreamId(guestId), expectedVersion: guest.version, event: { type: 'GuestRebooted', data } });
    }
    case 'RecordGuestStop': {
      const { guestId, at } = command.data;
      const guest = runningGuest(view, guestId, 'stops');
      if (isFieldError(guest)) return err([guest]);
      const late = notBeforeLastEvent(guest, at);
      if (late) return err([late]);
      return ok({ streamId: guestStreamId(guestId), expectedVersion: guest.version, event: { type: 'GuestStopped', data: { guestId, hostId: guest.hostId, at } } });
    }
    case 'RetireHost': {
      const { hostId, at } = command.data;
      const host = view.host(hostId);
      if (!host) return refuse('hostId', `unknown host ${hostId}`);
      if (host.retiredAt) return refuse('hostId', `host ${hostId} was already retired at ${host.retiredAt}`);
      const running = view.runningGuestsOn(hostId);
      if (running.length > 0) return refuse('hostId', `host ${hostId} still runs guest(s) ${running.join(', ')}; migrate or stop them first`);
      if (isBefore(at, host.snapshot.observedAt)) return refuse('at', `is earlier than host ${hostId}'s last snapshot (${host.snapshot.observedAt})`);
      return ok({ streamId: hostStreamId(hostId), expectedVersion: host.version, event: { type: 'HostRetired', data: { hostId, at } } });
    }
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled command ${JSON.stringify(unhandled)}`);
    }
  }
};
