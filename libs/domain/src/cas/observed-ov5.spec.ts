import { CasHost, predictBoot } from './negotiate';
import { compareObservedOv5 } from './observed-ov5';

const DEBIAN_6_1 = '6.1.0-50-powerpc64le';
const TCG_72: CasHost = { hostId: 'tcg-72', level: 0, cpu: { model: 'POWER9' }, accelerator: 'tcg', qemu: { version: '7.2.0' } };
const KVM_HV: CasHost = {
  hostId: 'p9-r1-07',
  level: 0,
  cpu: { model: 'POWER9' },
  accelerator: 'kvm-hv',
  qemu: { version: '7.2.0' },
  kvm: { caps: { KVM_CAP_PPC_MMU_RADIX: 1, KVM_CAP_PPC_MMU_HASH_V3: 1, KVM_CAP_PPC_RPT_INVALIDATE: 1, KVM_CAP_PPC_FWNMI: 1 }, nestedEnabled: false, decrBits: 56, mitigations: { cfpc: 'fixed', sbbc: 'fixed', ibs: 'fixed-ccd', 'ccf-assist': 'off' } },
};
const NO_RADIX: CasHost = { ...KVM_HV, hostId: 'p9-hash', kvm: { ...KVM_HV.kvm!, caps: { ...KVM_HV.kvm!.caps, KVM_CAP_PPC_MMU_RADIX: 0 } } };
const RADIX_OV5 = '1900200000a0050000000000000000000000000000008040400040';
const ids = (r: ReturnType<typeof compareObservedOv5>) => r.causes.map((c) => [c.ruleId, c.severity]);

describe('When comparing an observed ov5 with the model', () => {
  it('agrees on the recorded POWER9 vector', () => {
    const p = predictBoot(TCG_72, { machine: 'pseries', cpu: 'POWER9', kernel: { release: DEBIAN_6_1, cmdline: 'console=hvc0' } });
    expect(compareObservedOv5(RADIX_OV5, p.contract, TCG_72).causes).toEqual([]);
  });

  it('flags the SPEC §2.2 example: radix_hcall_invalidate=on but GTSE observed (MODEL-DISAGREES names both readings)', () => {
    const p = predictBoot(KVM_HV, { machine: 'pseries-7.2,cap-rpt-invalidate=on', cpu: 'host', kernel: { release: DEBIAN_6_1, cmdline: 'radix_hcall_invalidate=on' } });
    const r = compareObservedOv5(RADIX_OV5, p.contract, KVM_HV);
    expect(r.observed?.gtse).toBe(true);
    expect(ids(r)).toEqual([['MODEL-DISAGREES', 'info']]);
    expect(r.causes[0]?.values).toEqual(expect.objectContaining({ m1: 'radix', g1: 1, pred: expect.stringMatching(/^mmu=radix, gtse=0,/) }));
  });

  it('reports malformed vectors (MODEL-OV5-MALFORMED)', () => {
    expect(ids(compareObservedOv5('05002000', null, TCG_72))).toEqual([
      ['MODEL-OV5-MALFORMED', 'warning'],
      ['MODEL-OV5-MALFORMED', 'warning'],
    ]);
  });
});

describe('When a recorded vector can only be the guest request', () => {
  // RADIX_OV5 ends with bytes 22..26 = 80 40 40 00 40 (DRMEM_V2, XIVE_EXPLOIT, MMU_RADIX_300, -, GTSE).
  const withTail = (tail: string) => `${RADIX_OV5.slice(0, -10)}${tail}`;
  const refusals = (r: ReturnType<typeof compareObservedOv5>) => r.causes.filter((c) => c.ruleId === 'CAS-INVALID-REQUEST').map((c) => [c.severity, c.message, c.values]);

  it('refuses OV5_MMU_BOTH (byte24 0x80) as QEMU does: CAS-INVALID-REQUEST', () => {
    expect(refusals(compareObservedOv5(withTail('8040800040'), null, TCG_72))).toEqual([
      ['error', 'guest requested hash and radix MMU, which is invalid.', { what: 'hash and radix MMU', b: 24, val: '80' }],
    ]);
  });

  it('refuses OV5_XIVE_BOTH (byte23 0x80): CAS-INVALID-REQUEST', () => {
    expect(refusals(compareObservedOv5(withTail('8080400040'), null, TCG_72))).toEqual([
      ['error', 'guest requested an invalid interrupt mode', { what: 'both interrupt modes', b: 23, val: '80' }],
    ]);
  });

  it('has no request to refuse in what QEMU writes', () => {
    expect(refusals(compareObservedOv5(RADIX_OV5, null, TCG_72))).toEqual([]);
  });

  it('refuses a radix request on a KVM host without KVM_CAP_PPC_MMU_RADIX: BOOT-RADIX-UNAVAILABLE', () => {
    const r = compareObservedOv5(RADIX_OV5, null, NO_RADIX);
    expect(r.causes.map((c) => [c.ruleId, c.severity, c.message, c.values])).toEqual([
      ['BOOT-RADIX-UNAVAILABLE', 'error', 'Guest requested unavailable MMU mode (radix).', { h: 'p9-hash', v: 0 }],
    ]);
  });

  it('never refuses radix under TCG, nor on a KVM host with radix', () => {
    expect(compareObservedOv5(RADIX_OV5, null, TCG_72).causes).toEqual([]);
    expect(compareObservedOv5(RADIX_OV5, null, KVM_HV).causes).toEqual([]);
  });
});
