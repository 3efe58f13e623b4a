import type { FleetEvent } from '../fleet/fleet.events';
import { recordBoot } from '../fleet/recorded-contract';
import type { GuestBoot } from '../input/guest-boot.schema';
import type { HostSnapshot } from '../input/host-snapshot.schema';

/** A POWER9 KVM-HV bare-metal host as SPEC §2.1 shows it. */
export const aHost = (overrides: Partial<HostSnapshot> = {}): HostSnapshot => ({
  hostId: 'p9-a',
  observedAt: '2026-11-24T10:00:00Z',
  level: 0,
  parentGuestId: null,
  cpu: { model: 'POWER9', dd: '2.3' },
  accelerator: 'kvm-hv',
  kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'root=/dev/sda2 quiet' },
  qemu: { version: '7.2.0' },
  kvm: {
    caps: { KVM_CAP_PPC_MMU_RADIX: 1, KVM_CAP_PPC_MMU_HASH_V3: 1, KVM_CAP_PPC_NESTED_HV: 1, KVM_CAP_PPC_RPT_INVALIDATE: 1, KVM_CAP_PPC_FWNMI: 1, KVM_CAP_PPC_AIL_MODE_3: 1 },
    nestedEnabled: true,
    ramPageSizeKiB: 64,
    mitigations: { cfpc: 'fixed', sbbc: 'fixed', ibs: 'fixed-ccd', 'ccf-assist': 'off' },
    decrBits: 56,
  },
  ...overrides,
});

/** A level-1 host: the KVM inside guest `parentGuestId`, radix-only. */
export const aNestedHost = (overrides: Partial<HostSnapshot> = {}): HostSnapshot =>
  aHost({
    hostId: 'l1-a',
    level: 1,
    parentGuestId: 'vm-l1',
    kvm: { caps: { KVM_CAP_PPC_MMU_RADIX: 1, KVM_CAP_PPC_RPT_INVALIDATE: 1, KVM_CAP_PPC_FWNMI: 1 }, nestedEnabled: false, ramPageSizeKiB: 64, decrBits: 56 },
    ...overrides,
  });

export const aBoot = (overrides: Partial<GuestBoot> = {}): GuestBoot => ({
  guestId: 'vm-42',
  hostId: 'p9-a',
  at: '2026-11-24T10:05:00Z',
  machine: 'pseries-7.2',
  cpu: 'host',
  kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'console=hvc0' },
  ...overrides,
});

export const hostSnapshotRecorded = (overrides: Partial<HostSnapshot> = {}): FleetEvent => ({ type: 'HostSnapshotRecorded', data: aHost(overrides) });
/** A boot as recorded: with the contract the CAS model gives it on `host` (a bare-metal POWER9 by default). */
export const guestBooted = (overrides: Partial<GuestBoot> = {}, host: HostSnapshot = aHost()): FleetEvent => {
  const boot = aBoot(overrides);
  return { type: 'GuestBooted', data: { ...boot, cas: recordBoot(host, boot, boot.observed?.ov5) } };
};
