/**
 * Pure reading of the KVM probe (guest/kvm-probe.c) that every hypervisor level runs after kvm-hv loads:
 * its `CONFORMANCE[Ln] KVM NAME=value` lines (collected per level by classify.ts) → the SPEC §2.1 facts of
 * the level-n host snapshot, derived as QEMU 7.2 derives them from the same answers (target/ppc/kvm.c,
 * kvm_arch_init and kvmppc_get_cpu_characteristics).
 */
import { HostSnapshot } from './types';

/** The PROBE_VERSION of guest/kvm-probe.c this reader understands (an older image: rerun setup.sh). */
export const KVM_PROBE_VERSION = 1;

/** Raw probe facts of one level, NAME → value, as printed. */
export type ProbeFacts = Record<string, string>;

/** `KVM NAME=value` (the tail of a `CONFORMANCE[Ln] KVM` marker) → [NAME, value]. */
export function parseProbeLine(tail: string): [string, string] | undefined {
  const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(tail);
  return m ? [m[1], m[2].trim()] : undefined;
}

/** The caps of SPEC §2.1 / host-snapshot.schema.ts that exist in linux/kvm.h (each probed with KVM_CHECK_EXTENSION). */
export const PROBED_CAPS = [
  'KVM_CAP_PPC_MMU_RADIX',
  'KVM_CAP_PPC_MMU_HASH_V3',
  'KVM_CAP_PPC_NESTED_HV',
  'KVM_CAP_PPC_RPT_INVALIDATE',
  'KVM_CAP_PPC_HTM',
  'KVM_CAP_PPC_FWNMI',
  'KVM_CAP_PPC_AIL_MODE_3',
  'KVM_CAP_PPC_GET_CPU_CHAR',
  'KVM_CAP_PPC_DAWR1',
] as const;

/**
 * Facts of the snapshot that are not probed, and why (conformance/README.md). `KVM_CAP_PPC_GTSE` is not a Linux
 * cap (no number in linux/kvm.h: the unmerged 2022 proposal), so no collector can ask for it; SPEC §2.1 says real
 * hosts lack it, and absent counts as 0.
 */
export const DERIVED_FACTS: Readonly<Record<string, string>> = {
  'kvm.caps.KVM_CAP_PPC_GTSE': '0: not in linux/kvm.h (unmerged 2022 proposal); SPEC §2.1: absent on real hosts',
  'qemu.version': '7.2.0: the Debian bookworm qemu-system-ppc in the image (1:7.2+dfsg), by package, not asked',
  'kernel.cmdline': "the guest spec's command line: the harness's own conf.* parameters left out",
};

/** KVM_PPC_GET_CPU_CHAR answer (struct kvm_ppc_cpu_char). */
export interface CpuChar {
  character: bigint;
  characterMask: bigint;
  behaviour: bigint;
  behaviourMask: bigint;
}

const bit = (n: number): bigint => 1n << BigInt(63 - n); // PPC_BIT(n), hw/ppc/spapr.h
const H_CPU_CHAR_SPEC_BAR_ORI31 = bit(0);
const H_CPU_CHAR_BCCTRL_SERIALISED = bit(1);
const H_CPU_CHAR_L1D_FLUSH_ORI30 = bit(2);
const H_CPU_CHAR_L1D_FLUSH_TRIG2 = bit(3);
const H_CPU_CHAR_L1D_THREAD_PRIV = bit(4);
const H_CPU_CHAR_CACHE_COUNT_DIS = bit(7);
const H_CPU_CHAR_BCCTR_FLUSH_ASSIST = bit(9);
const H_CPU_BEHAV_L1D_FLUSH_PR = bit(1);
const H_CPU_BEHAV_BNDS_CHK_SPEC_BAR = bit(2);
const H_CPU_BEHAV_FLUSH_COUNT_CACHE = bit(5);

/** spapr cap levels (hw/ppc/spapr.h). */
const BROKEN = 0;
const WORKAROUND = 1;
const FIXED = 2;
const FIXED_IBS = 2;
const FIXED_CCD = 3;
const FIXED_NA = 0x10;

const has = (v: bigint, mask: bigint, b: bigint): boolean => (v & mask & b) !== 0n;
const lacks = (v: bigint, mask: bigint, b: bigint): boolean => (~v & mask & b) !== 0n;

/** kvmppc_power8_host: the PVR's version is POWER8E, POWER8NVL or POWER8 (CPU_POWERPC_POWER_SERVER_MASK). */
export function isPower8Host(pvr: number): boolean {
  const base = (pvr >>> 16) << 16;
  return base === 0x004b0000 || base === 0x004c0000 || base === 0x004d0000;
}

/** parse_cap_ppc_safe_cache (cap-cfpc). */
export function safeCacheLevel(c: CpuChar, power8Host: boolean): number {
  if (lacks(c.behaviour, c.behaviourMask, H_CPU_BEHAV_L1D_FLUSH_PR)) return FIXED;
  const threadPrivOk = power8Host || has(c.character, c.characterMask, H_CPU_CHAR_L1D_THREAD_PRIV);
  if (threadPrivOk && has(c.character, c.characterMask, H_CPU_CHAR_L1D_FLUSH_ORI30 | H_CPU_CHAR_L1D_FLUSH_TRIG2)) return WORKAROUND;
  return BROKEN;
}

/** parse_cap_ppc_safe_bounds_check (cap-sbbc). */
export function safeBoundsCheckLevel(c: CpuChar): number {
  if (lacks(c.behaviour, c.behaviourMask, H_CPU_BEHAV_BNDS_CHK_SPEC_BAR)) return FIXED;
  if (has(c.character, c.characterMask, H_CPU_CHAR_SPEC_BAR_ORI31)) return WORKAROUND;
  return BROKEN;
}

/** parse_cap_ppc_safe_indirect_branch (cap-ibs): fixed-na when the host flushes nothing and needs nothing. */
export function safeIndirectBranchLevel(c: CpuChar): number {
  if (
    lacks(c.behaviour, c.behaviourMask, H_CPU_BEHAV_FLUSH_COUNT_CACHE) &&
    lacks(c.character, c.characterMask, H_CPU_CHAR_CACHE_COUNT_DIS) &&
    lacks(c.character, c.characterMask, H_CPU_CHAR_BCCTRL_SERIALISED)
  ) {
    return FIXED_NA;
  }
  if (has(c.behaviour, c.behaviourMask, H_CPU_BEHAV_FLUSH_COUNT_CACHE)) return WORKAROUND;
  if (has(c.character, c.characterMask, H_CPU_CHAR_CACHE_COUNT_DIS)) return FIXED_CCD;
  if (has(c.character, c.characterMask, H_CPU_CHAR_BCCTRL_SERIALISED)) return FIXED_IBS;
  return BROKEN;
}

/** parse_cap_ppc_count_cache_flush_assist (cap-ccf-assist). */
export function countCacheFlushAssistLevel(c: CpuChar): number {
  return has(c.character, c.characterMask, H_CPU_CHAR_BCCTR_FLUSH_ASSIST) ? 1 : 0;
}

type Mitigations = NonNullable<NonNullable<HostSnapshot['kvm']>['mitigations']>;

/** The four levels, spelled as the snapshot (and QEMU's cap values) spell them. */
export function mitigationsOf(c: CpuChar, pvr: number): Mitigations {
  const tri = ['broken', 'workaround', 'fixed'];
  const ibs = safeIndirectBranchLevel(c);
  const ibsName = ibs === FIXED_NA ? 'fixed-na' : ['broken', 'workaround', 'fixed-ibs', 'fixed-ccd'][ibs];
  return {
    cfpc: tri[safeCacheLevel(c, isPower8Host(pvr))],
    sbbc: tri[safeBoundsCheckLevel(c)],
    ibs: ibsName,
    'ccf-assist': countCacheFlushAssistLevel(c) === 1 ? 'on' : 'off',
  };
}

/** What the probe of one level says about it as a host. */
export interface ProbedHost {
  probeVersion: number;
  kernelRelease: string;
  cpu: { model: string; dd?: string };
  accelerator: 'kvm-hv' | 'kvm-pr';
  kvm: NonNullable<HostSnapshot['kvm']>;
}

export type ProbeReading = { ok: true; host: ProbedHost } | { ok: false; reason: string };

const no = (reason: string): ProbeReading => ({ ok: false, reason });

function hex(facts: ProbeFacts, name: string): bigint | undefined {
  const v = facts[name];
  return v !== undefined && /^0x[0-9a-f]+$/i.test(v) ? BigInt(v) : undefined;
}

/**
 * The level-n host facts from the raw probe of that level, or why there are none: no probe output (the level
 * never got there), an image older than this reader, a probe that did not finish, or a KVM that cannot start
 * a guest (no /dev/kvm, KVM_CREATE_VM refused: kvm-hv did not load, so the level cannot host).
 */
export function readProbe(facts: ProbeFacts | undefined): ProbeReading {
  if (!facts || Object.keys(facts).length === 0) return no('ran no KVM probe');
  if (facts.PROBE_MISSING !== undefined) return no('has no /bin/kvm-probe in its image (rerun conformance/setup.sh)');
  const version = Number(facts.PROBE_VERSION);
  if (version !== KVM_PROBE_VERSION) {
    return no(`ran KVM probe version ${facts.PROBE_VERSION ?? '?'}, this harness reads version ${KVM_PROBE_VERSION} (stale image: rerun conformance/setup.sh)`);
  }
  if (facts.DONE !== '1') return no(`KVM probe did not finish${facts.PROBE_EXIT !== undefined ? ` (exit ${facts.PROBE_EXIT})` : ''}`);
  if (facts.DEV_KVM !== 'ok') return no(`cannot host: /dev/kvm ${facts.DEV_KVM ?? 'not opened'}`);
  if (facts.CREATE_VM !== 'ok') return no(`cannot host: KVM_CREATE_VM ${facts.CREATE_VM ?? 'not tried'}`);

  const caps: Record<string, number> = {};
  for (const name of PROBED_CAPS) {
    const v = facts[name];
    if (v === undefined || !/^-?\d+$/.test(v)) return no(`KVM probe: ${name}=${v ?? '(missing)'}`);
    // QEMU keeps each as a truth value (cap_htm, cap_mmu_radix, …): any positive answer is 1.
    caps[name] = Number(v) > 0 ? 1 : 0;
  }
  caps.KVM_CAP_PPC_GTSE = 0; // derived, DERIVED_FACTS
  const pvinfo = facts.KVM_CAP_PPC_GET_PVINFO;
  if (pvinfo === undefined || !/^\d+$/.test(pvinfo)) return no(`KVM probe: KVM_CAP_PPC_GET_PVINFO=${pvinfo ?? '(missing)'}`);
  // kvmppc_is_pr: "Assume KVM-PR if the GET_PVINFO capability is available"
  const accelerator = Number(pvinfo) !== 0 ? 'kvm-pr' : 'kvm-hv';

  const page = Number(facts.PAGE_SIZE);
  if (!Number.isInteger(page) || page < 4096) return no(`KVM probe: PAGE_SIZE=${facts.PAGE_SIZE ?? '(missing)'}`);
  const nestedParam = facts.NESTED_PARAM;
  if (nestedParam !== 'Y' && nestedParam !== 'N' && nestedParam !== 'absent') return no(`KVM probe: NESTED_PARAM=${nestedParam ?? '(missing)'}`);

  // kvmppc_get_cpu_characteristics: only with the cap; a failed ioctl leaves every level broken (0).
  let mitigations: Mitigations | undefined;
  if (caps.KVM_CAP_PPC_GET_CPU_CHAR === 1 && facts.CPU_CHAR === undefined) {
    const c = { character: hex(facts, 'CPU_CHAR_CHARACTER'), characterMask: hex(facts, 'CPU_CHAR_CHARACTER_MASK'), behaviour: hex(facts, 'CPU_CHAR_BEHAVIOUR'), behaviourMask: hex(facts, 'CPU_CHAR_BEHAVIOUR_MASK') };
    const pvr = facts.PVR !== undefined && /^0x[0-9a-f]+$/i.test(facts.PVR) ? Number(facts.PVR) : undefined;
    if (c.character === undefined || c.characterMask === undefined || c.behaviour === undefined || c.behaviourMask === undefined || pvr === undefined) {
      return no('KVM probe: KVM_PPC_GET_CPU_CHAR answer or PVR missing');
    }
    mitigations = mitigationsOf({ character: c.character, characterMask: c.characterMask, behaviour: c.behaviour, behaviourMask: c.behaviourMask }, pvr);
  } else if (caps.KVM_CAP_PPC_GET_CPU_CHAR === 1) {
    mitigations = { cfpc: 'broken', sbbc: 'broken', ibs: 'broken', 'ccf-assist': 'off' };
  }

  // kvmppc_get_dec_bits: ibm,dec-bits > 0, else 0 (no large decrementer: the snapshot has no decrBits)
  const dec = facts.DEC_BITS;
  if (dec === undefined || (dec !== 'absent' && !/^\d+$/.test(dec))) return no(`KVM probe: DEC_BITS=${dec ?? '(missing)'}`);
  const decrBits = dec !== 'absent' && Number(dec) > 0 ? Number(dec) : undefined;

  const model = /^(POWER\d+)/.exec(facts.CPU ?? '')?.[1];
  if (model === undefined) return no(`KVM probe: CPU=${facts.CPU ?? '(missing)'}`);
  const dd = /^(\d+\.\d+)/.exec(facts.CPU_REVISION ?? '')?.[1];
  const release = facts.KERNEL_RELEASE;
  if (!release) return no('KVM probe: KERNEL_RELEASE missing');

  return {
    ok: true,
    host: {
      probeVersion: version,
      kernelRelease: release,
      cpu: { model, ...(dd !== undefined ? { dd } : {}) },
      accelerator,
      kvm: {
        caps,
        nestedEnabled: nestedParam === 'Y',
        ramPageSizeKiB: page / 1024,
        ...(mitigations !== undefined ? { mitigations } : {}),
        ...(decrBits !== undefined ? { decrBits } : {}),
      },
    },
  };
}
