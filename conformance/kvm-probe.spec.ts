import { hostSnapshotSchema } from '@spapr/domain/input/host-snapshot.schema';
import {
  CpuChar,
  countCacheFlushAssistLevel,
  isPower8Host,
  KVM_PROBE_VERSION,
  mitigationsOf,
  parseProbeLine,
  ProbeFacts,
  readProbe,
  safeBoundsCheckLevel,
  safeCacheLevel,
  safeIndirectBranchLevel,
} from './kvm-probe';
import { N01_L1 } from './testing/probe-facts';

/** The masks Linux's pseries KVM_PPC_GET_CPU_CHAR reports (as probed). */
const MASKS = { characterMask: 0xff40000000000000n, behaviourMask: 0xe400000000000000n };
const cc = (character: bigint, behaviour: bigint): CpuChar => ({ character, behaviour, ...MASKS });

describe('parseProbeLine', () => {
  it('splits NAME=value, keeping spaces and commas in the value', () => {
    expect(parseProbeLine(' CPU=POWER9 (architected), altivec supported')).toEqual(['CPU', 'POWER9 (architected), altivec supported']);
    expect(parseProbeLine(' CREATE_VM=error:EINVAL(22)')).toEqual(['CREATE_VM', 'error:EINVAL(22)']);
    expect(parseProbeLine(': not a fact')).toBeUndefined();
  });
});

describe('mitigation levels, as QEMU 7.2 parses KVM_PPC_GET_CPU_CHAR (target/ppc/kvm.c parse_cap_ppc_*)', () => {
  it('N01: the TCG L0 answers default caps (workaround, ccf-assist on) → workaround ×3, ccf-assist on', () => {
    expect(mitigationsOf(cc(0xbc40000000000000n, 0xe400000000000000n), 0x004e1200)).toEqual({ cfpc: 'workaround', sbbc: 'workaround', ibs: 'workaround', 'ccf-assist': 'on' });
  });
  it('N12: an L1 with cfpc/sbbc/ibs broken → broken, broken, fixed-na (no count-cache flush needed), ccf-assist off', () => {
    // h_get_cpu_characteristics: HON_BRANCH_HINTS; FAVOUR_SECURITY | L1D_FLUSH_PR | BNDS_CHK_SPEC_BAR
    expect(mitigationsOf(cc(0x0400000000000000n, 0xe000000000000000n), 0x004e1200)).toEqual({ cfpc: 'broken', sbbc: 'broken', ibs: 'fixed-na', 'ccf-assist': 'off' });
  });
  it('fixed: no flush on privilege change, no bounds-check barrier needed', () => {
    const c = cc(0x0400000000000000n, 0x8000000000000000n);
    expect(safeCacheLevel(c, false)).toBe(2);
    expect(safeBoundsCheckLevel(c)).toBe(2);
  });
  it('ibs: count cache disabled → fixed-ccd (3), bcctr serialised → fixed-ibs (2), neither and no flush → fixed-na (0x10)', () => {
    expect(safeIndirectBranchLevel(cc(0x0100000000000000n, 0n))).toBe(3);
    expect(safeIndirectBranchLevel(cc(0x4000000000000000n, 0n))).toBe(2);
    expect(safeIndirectBranchLevel(cc(0n, 0n))).toBe(0x10);
    expect(safeIndirectBranchLevel(cc(0n, 0x0400000000000000n))).toBe(1);
  });
  it('the flush assist is announced by the character bit alone, masked', () => {
    expect(countCacheFlushAssistLevel(cc(0x0040000000000000n, 0n))).toBe(1);
    expect(countCacheFlushAssistLevel({ ...cc(0x0040000000000000n, 0n), characterMask: 0xff00000000000000n })).toBe(0);
  });
  it('cfpc workaround needs L1D_THREAD_PRIV except on a POWER8 host', () => {
    const noThreadPriv = cc(0x3000000000000000n, 0x4000000000000000n);
    expect(safeCacheLevel(noThreadPriv, false)).toBe(0);
    expect(safeCacheLevel(noThreadPriv, true)).toBe(1);
    expect(isPower8Host(0x004d0200)).toBe(true);
    expect(isPower8Host(0x004e1200)).toBe(false);
  });
});

describe('readProbe', () => {
  it('N01: the SPEC §2.1 facts of a level-1 KVM-HV host, accepted by the planner schema', () => {
    const r = readProbe(N01_L1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.host).toEqual({
      probeVersion: KVM_PROBE_VERSION,
      kernelRelease: '6.1.0-57-powerpc64le',
      cpu: { model: 'POWER9', dd: '2.0' },
      accelerator: 'kvm-hv',
      kvm: {
        caps: {
          KVM_CAP_PPC_MMU_RADIX: 1,
          KVM_CAP_PPC_MMU_HASH_V3: 0,
          KVM_CAP_PPC_NESTED_HV: 1,
          KVM_CAP_PPC_RPT_INVALIDATE: 1,
          KVM_CAP_PPC_HTM: 0,
          KVM_CAP_PPC_FWNMI: 1,
          KVM_CAP_PPC_AIL_MODE_3: 1,
          KVM_CAP_PPC_GET_CPU_CHAR: 1,
          KVM_CAP_PPC_DAWR1: 0,
          KVM_CAP_PPC_GTSE: 0,
        },
        nestedEnabled: true,
        ramPageSizeKiB: 64,
        mitigations: { cfpc: 'workaround', sbbc: 'workaround', ibs: 'workaround', 'ccf-assist': 'on' },
        decrBits: 56,
      },
    });
    const snapshot = {
      hostId: 'n01-l1-host',
      observedAt: '2026-11-25T00:00:00Z',
      level: 1,
      parentGuestId: 'n01-l1',
      cpu: r.host.cpu,
      accelerator: r.host.accelerator,
      kernel: { release: r.host.kernelRelease, cmdline: '' },
      qemu: { version: '7.2.0' },
      kvm: r.host.kvm,
    };
    expect(hostSnapshotSchema.safeParse(snapshot).success).toBe(true);
  });
  it('no ibm,dec-bits (the parent has cap-large-decr=off): no decrBits, as kvmppc_get_dec_bits gives 0', () => {
    const r = readProbe({ ...N01_L1, DEC_BITS: 'absent' });
    expect(r.ok && r.host.kvm.decrBits).toBeUndefined();
  });
  it('KVM_CAP_PPC_GET_PVINFO set: KVM-PR, as kvmppc_is_pr decides', () => {
    const r = readProbe({ ...N01_L1, KVM_CAP_PPC_GET_PVINFO: '1' });
    expect(r.ok && r.host.accelerator).toBe('kvm-pr');
  });
  it('no KVM_CAP_PPC_GET_CPU_CHAR: no mitigations (QEMU assumes broken); a failed ioctl: broken and off', () => {
    const noCap = readProbe({ ...N01_L1, KVM_CAP_PPC_GET_CPU_CHAR: '0' });
    expect(noCap.ok && noCap.host.kvm.mitigations).toBeUndefined();
    const failed = readProbe({ ...N01_L1, CPU_CHAR: 'error:EINVAL(22)' });
    expect(failed.ok && failed.host.kvm.mitigations).toEqual({ cfpc: 'broken', sbbc: 'broken', ibs: 'broken', 'ccf-assist': 'off' });
  });
  it('any positive cap answer is 1 (QEMU keeps truth values); the nested parameter N is nestedEnabled false', () => {
    const r = readProbe({ ...N01_L1, KVM_CAP_PPC_NESTED_HV: '0', NESTED_PARAM: 'N', KVM_CAP_PPC_HTM: '2' });
    expect(r.ok && [r.host.kvm.caps.KVM_CAP_PPC_HTM, r.host.kvm.caps.KVM_CAP_PPC_NESTED_HV, r.host.kvm.nestedEnabled]).toEqual([1, 0, false]);
  });
  it('says why there is no host: no probe, a stale image, an unfinished probe, a KVM that cannot create a VM, a garbled fact', () => {
    const why = (f: ProbeFacts | undefined): string => {
      const r = readProbe(f);
      return r.ok ? 'ok' : r.reason;
    };
    expect(why(undefined)).toBe('ran no KVM probe');
    expect(why({ PROBE_MISSING: '1' })).toMatch(/no \/bin\/kvm-probe/);
    expect(why({ ...N01_L1, PROBE_VERSION: '0' })).toMatch(/version 0, this harness reads version 1 \(stale image/);
    const { DONE: _done, ...unfinished } = N01_L1;
    expect(why({ ...unfinished, PROBE_EXIT: '139' })).toBe('KVM probe did not finish (exit 139)');
    // N02: kvm.ko loaded, kvm-hv refused ("Parent hypervisor does not support nesting")
    expect(why({ PROBE_VERSION: '1', NESTED_PARAM: 'absent', DEV_KVM: 'ok', CREATE_VM: 'error:EINVAL(22)', DONE: '1' })).toBe('cannot host: KVM_CREATE_VM error:EINVAL(22)');
    expect(why({ ...N01_L1, KVM_CAP_PPC_FWNMI: 'error:EINVAL(22)' })).toBe('KVM probe: KVM_CAP_PPC_FWNMI=error:EINVAL(22)');
    expect(why({ ...N01_L1, CPU: 'PPC970FX' })).toBe('KVM probe: CPU=PPC970FX');
  });
});
