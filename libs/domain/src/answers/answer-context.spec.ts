import type { FleetCommand } from '../fleet/fleet.commands';
import { decidedFleet } from '../testing/decided-fleet';
import { aBoot, aHost, guestBooted } from '../testing/fleet-fixtures';
import { stackEvidence } from './answer-context';

const NESTED = 'pseries-7.2,cap-nested-hv=on';
const nestedHost = (hostId: string, level: number, parentGuestId: string, observedAt: string) =>
  aHost({ hostId, level, parentGuestId, observedAt, kvm: { caps: { KVM_CAP_PPC_MMU_RADIX: 1, KVM_CAP_PPC_NESTED_HV: 1 }, nestedEnabled: true, decrBits: 56 } });

describe('When the evidence of a nested host is listed', () => {
  it('names each host once even when the recorded stack loops back on itself', () => {
    // g0 rebooted inside n-g2 (a hypervisor in g2), then g2 rebooted inside n-g0 (a hypervisor in g0): the facts loop.
    const fleet = decidedFleet([
      { type: 'RecordHostSnapshot', data: aHost({ hostId: 'h0', observedAt: '2026-01-01T00:00:00Z' }) },
      { type: 'RecordGuestBoot', data: aBoot({ guestId: 'g0', hostId: 'h0', at: '2026-01-01T00:01:00Z', machine: NESTED }) },
      { type: 'RecordGuestBoot', data: aBoot({ guestId: 'g2', hostId: 'h0', at: '2026-01-01T00:02:00Z', machine: NESTED }) },
      { type: 'RecordHostSnapshot', data: nestedHost('n-g2', 1, 'g2', '2026-01-01T00:03:00Z') },
      { type: 'RecordGuestStop', data: { guestId: 'g0', at: '2026-01-01T00:04:00Z' } },
      { type: 'RecordGuestBoot', data: aBoot({ guestId: 'g0', hostId: 'n-g2', at: '2026-01-01T00:05:00Z', machine: NESTED }) },
      { type: 'RecordHostSnapshot', data: nestedHost('n-g0', 2, 'g0', '2026-01-01T00:06:00Z') },
      { type: 'RecordGuestStop', data: { guestId: 'g2', at: '2026-01-01T00:07:00Z' } },
    ] as FleetCommand[]);
    // The boot that closes the loop: the decider now refuses it (n-g0 runs inside g0, inside n-g2, inside the
    // stopped g2), but a store recorded before that refusal may hold it.
    fleet.apply(guestBooted({ guestId: 'g2', hostId: 'n-g0', at: '2026-01-01T00:08:00Z', machine: NESTED }, nestedHost('n-g0', 2, 'g0', '2026-01-01T00:06:00Z')));
    const subjects = stackEvidence({ view: fleet, position: fleet.position, now: '2026-01-02T00:00:00Z' }, fleet.host('n-g0')!).map((e) => e.subject);
    expect(subjects).toEqual(['host n-g0', 'guest g0', 'host n-g2', 'guest g2']);
  });
});
