import { aHost, aNestedHost, guestBooted, hostSnapshotRecorded } from '../testing/fleet-fixtures';
import { stackBelow } from './host-stack';
import { InMemoryFleet } from './in-memory-fleet';

const NESTED = 'pseries-7.2,cap-nested-hv=on';
const walk = (fleet: InMemoryFleet, hostId: string) => [...stackBelow(fleet, fleet.host(hostId)!)].map((s) => [s.guestId, s.guest?.status ?? null, s.host?.hostId ?? null]);

describe('When a host stack is walked down to bare metal', () => {
  it('yields nothing for a bare-metal host, and each guest with the host below it for a nested one', () => {
    const fleet = InMemoryFleet.of([hostSnapshotRecorded(), guestBooted({ guestId: 'vm-l1', machine: NESTED }), hostSnapshotRecorded(aNestedHost())]);
    expect(walk(fleet, 'p9-a')).toEqual([]);
    expect(walk(fleet, 'l1-a')).toEqual([['vm-l1', 'running', 'p9-a']]);
  });

  it('ends at a guest with no recorded boot', () => {
    const fleet = InMemoryFleet.of([hostSnapshotRecorded(aNestedHost({ parentGuestId: 'vm-gone' }))]);
    expect(walk(fleet, 'l1-a')).toEqual([['vm-gone', null, null]]);
  });

  it('visits each host once when the recorded facts loop', () => {
    const inG0 = aNestedHost({ hostId: 'n-g0', parentGuestId: 'g0' });
    const inG2 = aNestedHost({ hostId: 'n-g2', parentGuestId: 'g2' });
    const fleet = InMemoryFleet.of([
      hostSnapshotRecorded(aHost()),
      hostSnapshotRecorded(inG0),
      hostSnapshotRecorded(inG2),
      guestBooted({ guestId: 'g0', hostId: 'n-g2', machine: NESTED }, inG2),
      guestBooted({ guestId: 'g2', hostId: 'n-g0', machine: NESTED }, inG0),
    ]);
    expect(walk(fleet, 'n-g0')).toEqual([
      ['g0', 'running', 'n-g2'],
      ['g2', 'running', null],
    ]);
  });
});
