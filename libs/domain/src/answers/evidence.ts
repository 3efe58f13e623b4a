import type { GuestState } from '../fleet/guest.state';
import type { HostState } from '../fleet/host.state';
import type { Evidence } from './finding';

const ageSeconds = (at: string, now: string): number => Math.max(0, Math.round((Date.parse(now) - Date.parse(at)) / 1000));

export const hostEvidence = (host: HostState, now: string): Evidence => ({
  subject: `host ${host.hostId}`,
  event: 'HostSnapshotRecorded',
  position: host.snapshotPosition,
  at: host.snapshot.observedAt,
  ageSeconds: ageSeconds(host.snapshot.observedAt, now),
});

/** The boot (or reboot) whose CAS gave the guest its contract. */
export const guestEvidence = (guest: GuestState, now: string): Evidence => ({
  subject: `guest ${guest.guestId}`,
  event: guest.bootEvent,
  position: guest.bootPosition,
  at: guest.bootedAt,
  ageSeconds: ageSeconds(guest.bootedAt, now),
});
