import { cpuCharacteristicsAnswer, kvmMitigationLevels, nestedHostMitigations, PSERIES_CPU_CHAR_MASKS } from './cpu-characteristics';
import { SPAPR_CAP_FIXED_NA } from './spapr-caps';

const levels = (caps: Parameters<typeof nestedHostMitigations>[0]) => nestedHostMitigations(caps);

describe('h_get_cpu_characteristics (QEMU 7.2): the answer a guest gets from its caps', () => {
  it('default pseries-7.2 caps give the answer the conformance KVM probe read in the N01 L1', () => {
    expect(cpuCharacteristicsAnswer({ cfpc: 1, sbbc: 1, ibs: 1, 'ccf-assist': 1 })).toEqual({ character: 0xbc40000000000000n, behaviour: 0xe400000000000000n });
  });
  it('cfpc, sbbc and ibs broken (N12): branch hints only; L1D flush and bounds-check barrier asked', () => {
    const a = cpuCharacteristicsAnswer({ cfpc: 0, sbbc: 0, ibs: 0, 'ccf-assist': 1 });
    expect({ character: a.character & PSERIES_CPU_CHAR_MASKS.characterMask, behaviour: a.behaviour & PSERIES_CPU_CHAR_MASKS.behaviourMask }).toEqual({
      character: 0x0400000000000000n,
      behaviour: 0xe000000000000000n,
    });
  });
  it('ibs fixed-ibs (N25): bcctr serialised, no count-cache flush and no flush assist whatever ccf-assist says', () => {
    const a = cpuCharacteristicsAnswer({ cfpc: 1, sbbc: 1, ibs: 2, 'ccf-assist': 1 });
    expect(a.character & PSERIES_CPU_CHAR_MASKS.characterMask).toBe(0xfc00000000000000n);
    expect(a.behaviour & PSERIES_CPU_CHAR_MASKS.behaviourMask).toBe(0xe000000000000000n);
  });
});

describe('What the KVM inside a guest reports (parse_cap_ppc_* on the answer its QEMU gave it)', () => {
  it('keeps the tristates and ibs workaround/fixed-ibs/fixed-ccd as they are', () => {
    expect(levels({ cfpc: 1, sbbc: 1, ibs: 1, 'ccf-assist': 1 })).toEqual({ cfpc: 1, sbbc: 1, ibs: 1, ccfAssist: 1 });
    expect(levels({ cfpc: 2, sbbc: 2, ibs: 3, 'ccf-assist': 0 })).toEqual({ cfpc: 2, sbbc: 2, ibs: 3, ccfAssist: 0 });
    expect(levels({ cfpc: 0, sbbc: 0, ibs: 2, 'ccf-assist': 0 })).toEqual({ cfpc: 0, sbbc: 0, ibs: 2, ccfAssist: 0 });
  });
  it('reads ibs broken as fixed-na (0x10): nothing asked, nothing set', () => {
    expect(levels({ cfpc: 0, sbbc: 0, ibs: 0, 'ccf-assist': 1 })).toEqual({ cfpc: 0, sbbc: 0, ibs: SPAPR_CAP_FIXED_NA, ccfAssist: 0 });
  });
  it('keeps ccf-assist only with ibs workaround', () => {
    for (const ibs of [0, 2, 3, SPAPR_CAP_FIXED_NA]) expect(levels({ cfpc: 1, sbbc: 1, ibs, 'ccf-assist': 1 }).ccfAssist).toBe(0);
    expect(levels({ cfpc: 1, sbbc: 1, ibs: 1, 'ccf-assist': 0 }).ccfAssist).toBe(0);
  });
  it('needs L1D_THREAD_PRIV for cfpc workaround except on a POWER8 host', () => {
    const c = { character: 0x3000000000000000n, behaviour: 0x4000000000000000n, ...PSERIES_CPU_CHAR_MASKS };
    expect(kvmMitigationLevels(c, false).cfpc).toBe(0);
    expect(kvmMitigationLevels(c, true).cfpc).toBe(1);
  });
});
