import { given } from '../testing/decider-specification';
import { aBoot, aHost, aNestedHost, guestBooted, hostSnapshotRecorded } from '../testing/fleet-fixtures';
import type { FleetEvent } from './fleet.events';

const at = (hhmm: string) => `2026-11-24T${hhmm}:00Z`;
const stopped = (guestId = 'vm-42', hostId = 'p9-a', when = at('11:00')): FleetEvent => ({ type: 'GuestStopped', data: { guestId, hostId, at: when } });
const retired = (hostId = 'p9-a', when = at('12:00')): FleetEvent => ({ type: 'HostRetired', data: { hostId, at: when } });

describe('RecordHostSnapshot', () => {
  describe('When the host is new', () => {
    it('records HostSnapshotRecorded on a new stream', () =>
      given().when({ type: 'RecordHostSnapshot', data: aHost() }).then({ type: 'HostSnapshotRecorded', data: aHost() }, 0));
  });
  describe('When the host has a snapshot', () => {
    it('records a newer snapshot at the next version', () =>
      given(hostSnapshotRecorded()).when({ type: 'RecordHostSnapshot', data: aHost({ observedAt: at('11:00') }) }).then({ type: 'HostSnapshotRecorded', data: aHost({ observedAt: at('11:00') }) }, 1));
    it('refuses a snapshot older than the last one', () =>
      given(hostSnapshotRecorded()).when({ type: 'RecordHostSnapshot', data: aHost({ observedAt: at('09:00') }) }).thenRefuses('observedAt', /older than host p9-a's last snapshot \(2026-11-24T10:00:00Z\)/));
  });
  describe('When the host was retired', () => {
    it('refuses any snapshot', () =>
      given(hostSnapshotRecorded(), retired()).when({ type: 'RecordHostSnapshot', data: aHost({ observedAt: at('13:00') }) }).thenRefuses('hostId', /retired at/));
  });
  describe('When the host is nested', () => {
    const l1Boot = guestBooted({ guestId: 'vm-l1', machine: 'pseries-7.2,cap-nested-hv=on' });
    it('records it when its parent guest runs on a level n-1 host', () =>
      given(hostSnapshotRecorded(), l1Boot).when({ type: 'RecordHostSnapshot', data: aNestedHost() }).then({ type: 'HostSnapshotRecorded', data: aNestedHost() }));
    it('refuses an unknown parent guest', () =>
      given(hostSnapshotRecorded()).when({ type: 'RecordHostSnapshot', data: aNestedHost() }).thenRefuses('parentGuestId', /unknown guest vm-l1/));
    it('refuses a stopped parent guest', () =>
      given(hostSnapshotRecorded(), l1Boot, stopped('vm-l1')).when({ type: 'RecordHostSnapshot', data: aNestedHost() }).thenRefuses('parentGuestId', /is stopped/));
    it('refuses a parent guest on a host of the wrong level', () =>
      given(hostSnapshotRecorded(), l1Boot).when({ type: 'RecordHostSnapshot', data: aNestedHost({ level: 2 }) }).thenRefuses('parentGuestId', /level 0; a level-2 host needs a guest on a level-1 host/));
    it('refuses a KVM-HV host inside a parent that negotiated hash (NEST-L1-HASH)', () =>
      given(hostSnapshotRecorded(), guestBooted({ guestId: 'vm-l1', machine: 'pseries-7.2,cap-nested-hv=on', kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'disable_radix' } }))
        .when({ type: 'RecordHostSnapshot', data: aNestedHost() })
        .thenRefuses('parentGuestId', /NEST-L1-HASH: guest vm-l1 negotiated mmu=hash/));
    it('refuses a KVM-HV host inside a parent booted without cap-nested-hv (NEST-PARENT-NO-NESTED-HV)', () =>
      given(hostSnapshotRecorded(), guestBooted({ guestId: 'vm-l1' }))
        .when({ type: 'RecordHostSnapshot', data: aNestedHost() })
        .thenRefuses('parentGuestId', /NEST-PARENT-NO-NESTED-HV: guest vm-l1 booted with neither cap-nested-hv=on nor cap-nested-papr=on/));
    it("refuses a CPU model other than the parent's", () =>
      given(hostSnapshotRecorded(), l1Boot).when({ type: 'RecordHostSnapshot', data: aNestedHost({ cpu: { model: 'POWER10' } }) }).thenRefuses('cpu.model', /is POWER10 but guest vm-l1 runs a POWER9 CPU/));
    it("refuses a decrementer width other than the parent's model width", () => {
      const l1 = aNestedHost();
      given(hostSnapshotRecorded(), l1Boot).when({ type: 'RecordHostSnapshot', data: { ...l1, kvm: { ...l1.kvm!, decrBits: 64 } } }).thenRefuses('kvm.decrBits', /must be 56/);
    });
    it('refuses a decrementer width where the parent runs cap-large-decr=off', () =>
      given(hostSnapshotRecorded(), guestBooted({ guestId: 'vm-l1', machine: 'pseries-7.2,cap-nested-hv=on,cap-large-decr=off' }))
        .when({ type: 'RecordHostSnapshot', data: aNestedHost() })
        .thenRefuses('kvm.decrBits', /must be absent: guest vm-l1 runs cap-large-decr=off/));
  });
});

describe('RecordGuestBoot', () => {
  describe('When the host is known', () => {
    it('records GuestBooted with the contract CAS negotiates', () =>
      given(hostSnapshotRecorded())
        .when({ type: 'RecordGuestBoot', data: aBoot() })
        .then({ type: 'GuestBooted', data: { ...aBoot(), cas: expect.objectContaining({ predicted: 'boots', machineResolved: 'pseries-7.2', contract: expect.objectContaining({ mmu: 'radix', gtse: true, source: 'predicted' }) }) } }, 0));
    it('records a boot of a stopped guest at its next version', () =>
      given(hostSnapshotRecorded(), guestBooted(), stopped()).when({ type: 'RecordGuestBoot', data: aBoot({ at: at('11:30') }) }).then(guestBooted({ at: at('11:30') }), 2));
    it('resolves a bare pseries to the host QEMU\'s newest type', () =>
      given(hostSnapshotRecorded())
        .when({ type: 'RecordGuestBoot', data: aBoot({ machine: 'pseries,cap-nested-hv=on' }) })
        .then({ type: 'GuestBooted', data: { ...aBoot({ machine: 'pseries,cap-nested-hv=on' }), cas: expect.objectContaining({ machineResolved: 'pseries-7.2,cap-nested-hv=on' }) } }));
    it('keeps what the guest was observed to negotiate, and says where the model disagrees', () => {
      // No byte 26: the guest negotiated radix without GTSE, although the model predicts GTSE for this cmdline.
      const observed = { ov5: '1700200000a005000000000000000000000000000000804040', mmu: 'radix' as const };
      given(hostSnapshotRecorded())
        .when({ type: 'RecordGuestBoot', data: aBoot({ observed }) })
        .then({
          type: 'GuestBooted',
          data: {
            ...aBoot({ observed }),
            cas: expect.objectContaining({ contract: expect.objectContaining({ gtse: false, source: 'observed' }), notes: [expect.objectContaining({ ruleId: 'MODEL-DISAGREES', severity: 'info' })] }),
          },
        });
    });
    it('refuses a boot of a guest that already runs', () =>
      given(hostSnapshotRecorded(), guestBooted()).when({ type: 'RecordGuestBoot', data: aBoot({ at: at('11:30') }) }).thenRefuses('guestId', /already running on host p9-a/));
    it('refuses a boot earlier than the guest\'s last event', () =>
      given(hostSnapshotRecorded(), guestBooted(), stopped()).when({ type: 'RecordGuestBoot', data: aBoot({ at: at('10:30') }) }).thenRefuses('at', /earlier than guest vm-42's last recorded event/));
  });
  describe('When the host is unknown or gone', () => {
    it('refuses an unknown host', () => given().when({ type: 'RecordGuestBoot', data: aBoot() }).thenRefuses('hostId', /unknown host p9-a/));
    it('refuses a retired host', () =>
      given(hostSnapshotRecorded(), retired('p9-a', at('10:01'))).when({ type: 'RecordGuestBoot', data: aBoot() }).thenRefuses('hostId', /retired at/));
    it('refuses a level-2 host inside a running L2 whose own L1 stopped (the whole stack is gone)', () => {
      const l1 = aNestedHost();
      given(
        hostSnapshotRecorded(),
        guestBooted({ guestId: 'vm-l1', machine: 'pseries-7.2,cap-nested-hv=on' }),
        hostSnapshotRecorded(l1),
        guestBooted({ guestId: 'vm-l2', hostId: 'l1-a', machine: 'pseries-7.2,cap-nested-hv=on', at: at('10:10') }, l1),
        hostSnapshotRecorded(aNestedHost({ hostId: 'l2-a', level: 2, parentGuestId: 'vm-l2', observedAt: at('10:20') })),
        stopped('vm-l1'),
      )
        .when({ type: 'RecordGuestBoot', data: aBoot({ hostId: 'l2-a', at: at('11:30') }) })
        .thenRefuses('hostId', /host l2-a runs inside guest vm-l1, which is not running/);
    });
    it('refuses a nested host whose parent guest stopped', () =>
      given(hostSnapshotRecorded(), guestBooted({ guestId: 'vm-l1' }), hostSnapshotRecorded(aNestedHost()), stopped('vm-l1'))
        .when({ type: 'RecordGuestBoot', data: aBoot({ hostId: 'l1-a', at: at('11:30') }) })
        .thenRefuses('hostId', /runs inside guest vm-l1, which is not running/));
  });
});

describe('RecordGuestMigration', () => {
  const fleet = [hostSnapshotRecorded(), hostSnapshotRecorded({ hostId: 'p9-b' }), guestBooted()];
  it('records GuestMigrated with its source and the destination overrides', () =>
    given(...fleet)
      .when({ type: 'RecordGuestMigration', data: { guestId: 'vm-42', toHostId: 'p9-b', at: at('11:00'), machine: 'pseries-7.2,cap-large-decr=off' } })
      .then(
        {
          type: 'GuestMigrated',
          data: { guestId: 'vm-42', fromHostId: 'p9-a', toHostId: 'p9-b', at: at('11:00'), machine: 'pseries-7.2,cap-large-decr=off', effectiveCaps: expect.objectContaining({ 'large-decr': 0 }) },
        },
        1,
      ));
  it('refuses an unknown guest', () =>
    given(...fleet).when({ type: 'RecordGuestMigration', data: { guestId: 'vm-x', toHostId: 'p9-b', at: at('11:00') } }).thenRefuses('guestId', /unknown guest vm-x/));
  it('refuses a stopped guest', () =>
    given(...fleet, stopped()).when({ type: 'RecordGuestMigration', data: { guestId: 'vm-42', toHostId: 'p9-b', at: at('11:30') } }).thenRefuses('guestId', /is stopped; only a running guest migrates/));
  it('refuses an unknown destination', () =>
    given(...fleet).when({ type: 'RecordGuestMigration', data: { guestId: 'vm-42', toHostId: 'p9-z', at: at('11:00') } }).thenRefuses('toHostId', /unknown host p9-z/));
  it('refuses a retired destination', () =>
    given(...fleet, retired('p9-b', at('10:30'))).when({ type: 'RecordGuestMigration', data: { guestId: 'vm-42', toHostId: 'p9-b', at: at('11:00') } }).thenRefuses('toHostId', /retired/));
  it('refuses the current host as destination', () =>
    given(...fleet).when({ type: 'RecordGuestMigration', data: { guestId: 'vm-42', toHostId: 'p9-a', at: at('11:00') } }).thenRefuses('toHostId', /current host/));
  it('refuses a destination that runs inside the guest itself', () =>
    given(hostSnapshotRecorded(), guestBooted({ guestId: 'vm-l1', machine: 'pseries-7.2,cap-nested-hv=on' }), hostSnapshotRecorded(aNestedHost()))
      .when({ type: 'RecordGuestMigration', data: { guestId: 'vm-l1', toHostId: 'l1-a', at: at('11:00') } })
      .thenRefuses('toHostId', /runs inside guest vm-l1 itself/));
  it('refuses a time before the guest\'s last event', () =>
    given(...fleet).when({ type: 'RecordGuestMigration', data: { guestId: 'vm-42', toHostId: 'p9-b', at: at('09:00') } }).thenRefuses('at', /earlier/));
  it('refuses a nested destination whose parent guest stopped', () =>
    given(...fleet, guestBooted({ guestId: 'vm-l1', hostId: 'p9-b', machine: 'pseries-7.2,cap-nested-hv=on' }), hostSnapshotRecorded(aNestedHost()), stopped('vm-l1', 'p9-b'))
      .when({ type: 'RecordGuestMigration', data: { guestId: 'vm-42', toHostId: 'l1-a', at: at('11:30') } })
      .thenRefuses('toHostId', /host l1-a runs inside guest vm-l1, which is not running/));
});

describe('RecordGuestReboot', () => {
  it('records GuestRebooted on the current host with the new kernel', () => {
    const kernel = { release: '6.12.0-1-powerpc64le', cmdline: 'radix_hcall_invalidate=on' };
    given(hostSnapshotRecorded(), guestBooted())
      .when({ type: 'RecordGuestReboot', data: { guestId: 'vm-42', at: at('11:00'), kernel } })
      .then({ type: 'GuestRebooted', data: { guestId: 'vm-42', hostId: 'p9-a', at: at('11:00'), kernel, cas: expect.objectContaining({ contract: expect.objectContaining({ mmu: 'radix', gtse: false }) }) } }, 1);
  });
  it('refuses a stopped guest', () =>
    given(hostSnapshotRecorded(), guestBooted(), stopped()).when({ type: 'RecordGuestReboot', data: { guestId: 'vm-42', at: at('11:30') } }).thenRefuses('guestId', /stopped; only a running guest reboots/));
  it('refuses an unknown guest', () => given().when({ type: 'RecordGuestReboot', data: { guestId: 'vm-42', at: at('11:30') } }).thenRefuses('guestId', /unknown guest/));
  it('refuses a time before the last event', () =>
    given(hostSnapshotRecorded(), guestBooted()).when({ type: 'RecordGuestReboot', data: { guestId: 'vm-42', at: at('10:00') } }).thenRefuses('at', /earlier/));
});

describe('RecordGuestStop', () => {
  it('records GuestStopped on the current host', () =>
    given(hostSnapshotRecorded(), guestBooted()).when({ type: 'RecordGuestStop', data: { guestId: 'vm-42', at: at('11:00') } }).then(stopped(), 1));
  it('refuses a guest stopped already', () =>
    given(hostSnapshotRecorded(), guestBooted(), stopped()).when({ type: 'RecordGuestStop', data: { guestId: 'vm-42', at: at('11:30') } }).thenRefuses('guestId', /stopped/));
  it('refuses an unknown guest', () => given().when({ type: 'RecordGuestStop', data: { guestId: 'vm-42', at: at('11:30') } }).thenRefuses('guestId', /unknown guest/));
  it('refuses a time before the last event', () =>
    given(hostSnapshotRecorded(), guestBooted()).when({ type: 'RecordGuestStop', data: { guestId: 'vm-42', at: at('10:00') } }).thenRefuses('at', /earlier/));
});

describe('RetireHost', () => {
  it('records HostRetired', () => given(hostSnapshotRecorded()).when({ type: 'RetireHost', data: { hostId: 'p9-a', at: at('12:00') } }).then(retired(), 1));
  it('refuses an unknown host', () => given().when({ type: 'RetireHost', data: { hostId: 'p9-a', at: at('12:00') } }).thenRefuses('hostId', /unknown host/));
  it('refuses a host retired already', () =>
    given(hostSnapshotRecorded(), retired()).when({ type: 'RetireHost', data: { hostId: 'p9-a', at: at('13:00') } }).thenRefuses('hostId', /already retired/));
  it('refuses a host that still runs guests', () =>
    given(hostSnapshotRecorded(), guestBooted()).when({ type: 'RetireHost', data: { hostId: 'p9-a', at: at('12:00') } }).thenRefuses('hostId', /still runs guest\(s\) vm-42/));
  it('refuses a time before its last snapshot', () =>
    given(hostSnapshotRecorded()).when({ type: 'RetireHost', data: { hostId: 'p9-a', at: at('09:00') } }).thenRefuses('at', /earlier than host p9-a's last snapshot/));
});
