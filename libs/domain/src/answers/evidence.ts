import type { GuestState } from '../fleet/guest.state';
import type { HostState } from '../fleet/host.state';
import { boundedMemo } from '../bounded-memo';
import type { Evidence } from './finding';

/** Date.parse is slow and every answer repeats the same few snapshot, boot and clock times: parse each once. */
const millisOf = boundedMemo((time: string) => Date.parse(time), (time) => time);

const ageSeconds = (at: string, now: string): number => Math.max(0, Math.round((millisOf(now) - millisOf(at)) / 1000));

/**
 * Each host's and guest's subject, spelled once per state: an answer's evidence then points only at long-lived
 * strings (a fleet-wide answer holds hundreds of evidence entries; V8 may allocate them straight in the old
 * generation, where a fresh string each would keep young garbage alive through every scavenge).
 */
const SUBJECTS = new WeakMap<HostState | GuestState, string>();
const subjectOf = (state: HostState | GuestState, spell: () => string): string => {
  let subject = SUBJECTS.get(state);
  if (subject === undefined) SUBJECTS.set(state, (subject = spell()));
  return subject;
};

export const hostEvidence = (host: HostState, now: string): Evidence => ({
  subject: subjectOf(host, () => `host ${host.hostId}`),
  event: 'HostSnapshotRecorded',
  position: host.snapshotPosition,
  at: host.snapshot.observedAt,
  ageSeconds: ageSeconds(host.snapshot.observedAt, now),
});

/** The boot (or reboot) whose CAS gave the guest its contract. */
export const guestEvidence = (guest: GuestState, now: string): Evidence => ({
  subject: subjectOf(guest, () => `guest ${guest.guestId}`),
  event: guest.bootEvent,
  position: guest.bootPosition,
  at: guest.bootedAt,
  ageSeconds: ageSeconds(guest.bootedAt, now),
});
