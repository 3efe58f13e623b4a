import type { GuestSpec } from '@spapr/domain/caps/host-facts';
import { aBoot, aHost, aNestedHost } from '@spapr/domain/testing/fleet-fixtures';
import { bootPlanOf, migrationPlanOf } from './simulation-plan';
import { fleetOf } from './testing/differential';

const L0 = aHost({ hostId: 'l0-p9' });
const L1_BOOT = aBoot({ guestId: 'vm-l1', hostId: 'l0-p9', machine: 'pseries-7.2,cap-nested-hv=on,cap-rpt-invalidate=on', kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'console=hvc0 radix_hcall_invalidate=on' } });
const L1_HOST = aNestedHost({ hostId: 'l1-hv', parentGuestId: 'vm-l1' });
const TCG = aHost({ hostId: 'tcg', accelerator: 'tcg', kvm: undefined });
const seedFleet = () =>
  fleetOf([
    { type: 'RecordHostSnapshot', data: L0 },
    { type: 'RecordGuestBoot', data: L1_BOOT },
    { type: 'RecordHostSnapshot', data: L1_HOST },
    { type: 'RecordHostSnapshot', data: TCG },
    { type: 'RecordHostSnapshot', data: aHost({ hostId: 'l0-twin' }) },
  ]);
const spec = (machine: string, cmdline: string, extra: Partial<GuestSpec> = {}): GuestSpec => ({ machine, cpu: 'host', kernel: { release: '6.1.0-50-powerpc64le', cmdline }, ...extra });
const bootPlan = (hostId: string, s: GuestSpec) => {
  const r = bootPlanOf(seedFleet(), hostId, s);
  if (!r.ok || r.value.kind !== 'plan') throw new Error(JSON.stringify(r));
  return r.value.plan;
};

describe('When a guest configuration is planned on the nested host of the seed scenario', () => {
  it('reads the host from its snapshot and its parent guest as it booted (raw options, not the rules\' contract): level 1, radix only, L1 asking GTSE=0 with cap-rpt-invalidate on L0 ≥ 5.14', () => {
    expect(bootPlan('l1-hv', spec('pseries-7.2', 'console=hvc0')).host).toEqual({
      name: 'l1-hv',
      level: 1,
      accelerator: 'kvm-hv',
      mmuRadix: true,
      mmuHashV3: false,
      rptInvalidate: true,
      gtseOffered: true,
      parent: {
        guest: expect.objectContaining({ name: 'vm-l1', isa300: true, capRptInvalidate: true, cmdline: { radixHcallInvalidate: true, disableRadix: false } }),
        bootedOn: expect.objectContaining({ name: 'l0-p9', level: 0, accelerator: 'kvm-hv', rptInvalidate: true }),
        runsOn: expect.objectContaining({ name: 'l0-p9', level: 0 }),
      },
    });
  });

  it('reads a default guest as ISA 3.00, radix-capable, GTSE-optional, without cap-rpt-invalidate or cap-nested-hv, with a kernel whose KVM-HV nests and has H_RPT_INVALIDATE, on two vCPUs', () => {
    expect(bootPlan('l1-hv', spec('pseries-7.2', 'console=hvc0')).guest).toEqual({
      name: 'guest',
      isa300: true,
      capRptInvalidate: false,
      capNestedHv: false,
      cmdline: { radixHcallInvalidate: false, disableRadix: false },
      kernel: { radix: true, gtseOptional: true, nestedHv: true, kvmRptInvalidate: true, basePageSize: '64K' },
      vcpus: 2,
    });
  });

  it('takes cap-rpt-invalidate from the effective caps and radix_hcall_invalidate=on from the command line', () => {
    const guest = bootPlan('l1-hv', spec('pseries-7.2,cap-rpt-invalidate=on', 'console=hvc0 radix_hcall_invalidate=on')).guest;
    expect(guest).toMatchObject({ capRptInvalidate: true, cmdline: { radixHcallInvalidate: true } });
  });

  it('takes cap-nested-hv from the effective caps, and what KVM-HV in the kernel can do from its release (nesting from 4.20, H_RPT_INVALIDATE from 5.14)', () => {
    const guest = (machine: string, release: string) => bootPlan('l0-p9', { ...spec(machine, 'console=hvc0'), kernel: { release, cmdline: 'console=hvc0' } }).guest;
    expect(guest('pseries-7.2,cap-nested-hv=on', '6.1.0-50-powerpc64le')).toMatchObject({ capNestedHv: true, kernel: { nestedHv: true, kvmRptInvalidate: true } });
    expect(guest('pseries-7.2', '5.4.0-100-powerpc64le').kernel).toMatchObject({ nestedHv: true, kvmRptInvalidate: false });
    expect(guest('pseries-7.2', '4.19.0-20-powerpc64le').kernel).toMatchObject({ nestedHv: false, kvmRptInvalidate: false });
  });

  it('reads disable_radix as prom_init does: bare or =on disables, =no and an unparsable value do not', () => {
    const disable = (cmdline: string) => bootPlan('l0-p9', spec('pseries-7.2', cmdline)).guest.cmdline.disableRadix;
    expect([disable('disable_radix'), disable('disable_radix=on'), disable('disable_radix=no'), disable('disable_radix=maybe')]).toEqual([true, true, false, false]);
  });

  it('ignores radix_hcall_invalidate=on in a kernel before 5.9', () => {
    const guest = bootPlan('l0-p9', { ...spec('pseries-7.2', 'radix_hcall_invalidate=on'), kernel: { release: '5.4.0-100-powerpc64le', cmdline: 'radix_hcall_invalidate=on' } }).guest;
    expect(guest).toMatchObject({ cmdline: { radixHcallInvalidate: false }, kernel: { gtseOptional: false } });
  });

  it('gives a POWER8-compat guest no ISA 3.00, and an SMT4 guest four vCPUs', () => {
    expect(bootPlan('l0-p9', spec('pseries-7.2,max-cpu-compat=power8', '', { smp: { threads: 4 } })).guest).toMatchObject({ isa300: false, vcpus: 4 });
  });
});

describe('When a host carries the 2022 KVM_CAP_PPC_GTSE proposal', () => {
  it('offers GTSE unless qemu.gtseFromKvm is set and KVM_CAP_PPC_GTSE is 2', () => {
    const offered = (gtseFromKvm: boolean, cap: 0 | 1 | 2) => {
      const host = aHost({ hostId: 'h', qemu: { version: '7.2.0', gtseFromKvm }, kvm: { ...L0.kvm!, caps: { ...L0.kvm!.caps, KVM_CAP_PPC_GTSE: cap } } });
      const r = bootPlanOf(fleetOf([{ type: 'RecordHostSnapshot', data: host }]), 'h', spec('pseries-7.2', ''));
      return r.ok && r.value.kind === 'plan' && r.value.plan.host.gtseOffered;
    };
    expect([offered(false, 2), offered(true, 0), offered(true, 1), offered(true, 2)]).toEqual([true, true, true, false]);
  });
});

describe('When a running guest is planned for migration', () => {
  it('boots it on its current host and moves it to the destination', () => {
    const r = migrationPlanOf(seedFleet(), 'vm-l1', 'l0-twin', { seed: 3, steps: 10 });
    expect(r.ok && r.value).toMatchObject({
      kind: 'plan',
      plan: { kind: 'migrate', guest: { name: 'vm-l1', capRptInvalidate: true }, from: { name: 'l0-p9' }, to: { name: 'l0-twin', level: 0 }, workload: { seed: 3, steps: 10 } },
    });
  });

  it('ends at the migration when the destination QEMU cannot start with the guest\'s options (-cpu host under TCG)', () => {
    expect(migrationPlanOf(seedFleet(), 'vm-l1', 'tcg')).toMatchObject({ ok: true, value: { kind: 'refused', at: 'migration', refusal: { host: 'tcg', message: expect.stringMatching(/^cpu: /) } } });
  });

  it('refuses an unknown guest, its own host and an unknown destination, naming the field', () => {
    expect(migrationPlanOf(seedFleet(), 'vm-nope', 'tcg')).toMatchObject({ ok: false, error: [{ field: 'guest' }] });
    expect(migrationPlanOf(seedFleet(), 'vm-l1', 'l0-p9')).toMatchObject({ ok: false, error: [{ field: 'to' }] });
    expect(migrationPlanOf(seedFleet(), 'vm-l1', 'nowhere')).toMatchObject({ ok: false, error: [{ field: 'to' }] });
  });
});

describe('When QEMU does not take the guest\'s options', () => {
  it('ends the boot there, with QEMU\'s message', () => {
    expect(bootPlanOf(seedFleet(), 'l0-p9', spec('pseries-7.2,cap-frobnicate=on', ''))).toMatchObject({ ok: true, value: { kind: 'refused', at: 'boot', refusal: { host: 'l0-p9', message: expect.stringMatching(/^machine: /) } } });
  });
});
