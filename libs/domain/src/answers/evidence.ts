import type { GuestState } from '../fleet/guest.state';
import type { HostState } from '../fleet/host.state';
import { boundedMemo } from '../bounded-memo';
import type { Evidence } from './finding';

/** Date.parse is slow and every answer repeats the same few snapshot, boot and clock times: parse each once. */
const millisOf = boundedMemo((time: string) => Date.parse(time), (time) => time);

const ageSeconds = (at: string, now: string): number => Math.max(0, Math.round((millisOf(now) - millisOf(at)) / 1000));

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
