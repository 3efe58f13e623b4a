import { KVM_L0_HOST, L1_GTSE1_HOST, TCG_HOST } from '../scenario/named-simulations';
import { HostPlan } from '../scenario/plan';
import { hptAllocationRefusal, hptRestoreRefusal } from './hpt';

const KVM_PR_L1: HostPlan = { ...L1_GTSE1_HOST, name: 'l1-pr', accelerator: 'kvm-pr', mmuRadix: false };
const TCG_L1: HostPlan = { ...L1_GTSE1_HOST, name: 'l1-tcg', accelerator: 'tcg' };
const RADIX_ONLY_L0: HostPlan = { ...KVM_L0_HOST, name: 'l0-dd21', mmuHashV3: false };

describe('When QEMU allocates a hash guest its HPT', () => {
  it.each([
    ['TCG', TCG_HOST],
    ['a level-0 KVM-HV', KVM_L0_HOST],
    ['a KVM-PR inside a guest (the HPT lives in QEMU)', KVM_PR_L1],
    ['QEMU TCG inside a guest', TCG_L1],
  ])('gets one on %s', (_, host) => {
    expect(hptAllocationRefusal(host, 'htab_load')).toBeUndefined();
  });

  it('is refused by a KVM-HV inside a guest, naming the caller', () => {
    expect(hptAllocationRefusal(L1_GTSE1_HOST, 'do_client_architecture_support → spapr_setup_hpt')).toEqual({
      message: 'HPT not supported in nested guests',
      source: 'QEMU hw/ppc/spapr.c:do_client_architecture_support → spapr_setup_hpt → spapr_reallocate_hpt',
    });
  });
});

describe('When a hash guest migrates', () => {
  it('runs on a destination whose KVM runs HPT guests, including a POWER8-style KVM-HV that reports neither radix nor MMU_HASH_V3', () => {
    expect(hptRestoreRefusal(KVM_L0_HOST)).toBeUndefined();
    expect(hptRestoreRefusal({ ...KVM_L0_HOST, mmuRadix: false, mmuHashV3: false })).toBeUndefined();
  });

  it('fails on a radix-only level-0 KVM-HV, which takes the HPT but runs no HPT guest', () => {
    expect(hptRestoreRefusal(RADIX_ONLY_L0)).toMatchObject({ message: expect.stringContaining('runs no HPT guest'), source: expect.stringContaining('kvmppc_hash_v3_possible') });
  });

  it('fails on a level-1 KVM-HV when the stream’s HPT section arrives', () => {
    expect(hptRestoreRefusal(L1_GTSE1_HOST)).toEqual({ message: 'HPT not supported in nested guests', source: 'QEMU hw/ppc/spapr.c:htab_load → spapr_reallocate_hpt' });
  });
});
