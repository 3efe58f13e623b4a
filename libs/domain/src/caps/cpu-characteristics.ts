/**
 * `h_get_cpu_characteristics` (hw/ppc/spapr_hcall.c): QEMU's handler of H_GET_CPU_CHARACTERISTICS,
 * which every Linux pseries guest calls from `pSeries_setup_arch` → `pseries_setup_security_mitigations`
 * (after the GTSE/RPT_INVALIDATE panic check). KVM-HV does not handle this hcall in the kernel, so
 * it exits to the same QEMU handler under KVM as under TCG.
 *
 * The handler switches on `spapr_get_cap()` for cfpc, sbbc and ibs; each `default:` asserts the
 * value is BROKEN. For ibs its cases are BROKEN, WORKAROUND, FIXED_IBS (2), FIXED_CCD (3) and
 * FIXED_NA (0x10, the KVM encoding) — but `-machine cap-ibs=fixed-na` stores the command-line
 * index 4 (`spapr_cap_set_string`), which no case matches: the assertion fails and QEMU aborts.
 * Under TCG startup only warns; under KVM it passes on a host reporting fixed-na (4 ≤ 0x10). The
 * tristates store 0–2, all handled. Observed on QEMU 7.2 TCG (spapr_hcall.c:1387).
 */
import { RULE } from '@spapr/domain/rules/rule-ids';
import { Cause } from './cause';
import {
  SPAPR_CAP_BROKEN,
  SPAPR_CAP_FIXED,
  SPAPR_CAP_FIXED_CCD,
  SPAPR_CAP_FIXED_IBS,
  SPAPR_CAP_FIXED_NA,
  SPAPR_CAP_OFF,
  SPAPR_CAP_ON,
  SPAPR_CAP_WORKAROUND,
  SpaprCapLevels,
} from './spapr-caps';

const IBS_CASES: readonly number[] = [SPAPR_CAP_BROKEN, SPAPR_CAP_WORKAROUND, SPAPR_CAP_FIXED_IBS, SPAPR_CAP_FIXED_CCD, SPAPR_CAP_FIXED_NA];

/** The abort the guest's first H_GET_CPU_CHARACTERISTICS triggers with these effective caps, or null. */
export function cpuCharacteristicsAbort(caps: SpaprCapLevels): Cause | null {
  const ibs = caps.ibs ?? SPAPR_CAP_BROKEN;
  if (IBS_CASES.includes(ibs)) return null;
  return {
    ruleId: RULE.BOOT_IBS_FIXED_NA_ABORT,
    severity: 'error',
    cap: 'ibs',
    message: "h_get_cpu_characteristics: Assertion 'safe_indirect_branch == SPAPR_CAP_BROKEN' failed.",
    hint: null,
    values: { 'cap-ibs': ibs, handled: IBS_CASES.join(',') },
    source: 'hw/ppc/spapr_hcall.c:h_get_cpu_characteristics',
  };
}

// ---- What the KVM inside such a guest reports (a level-n host's mitigations) --------------------

const bit = (n: number): bigint => 1n << BigInt(63 - n); // PPC_BIT(n), include/hw/ppc/spapr.h
const H_CPU_CHAR_SPEC_BAR_ORI31 = bit(0);
const H_CPU_CHAR_BCCTRL_SERIALISED = bit(1);
const H_CPU_CHAR_L1D_FLUSH_ORI30 = bit(2);
const H_CPU_CHAR_L1D_FLUSH_TRIG2 = bit(3);
const H_CPU_CHAR_L1D_THREAD_PRIV = bit(4);
const H_CPU_CHAR_HON_BRANCH_HINTS = bit(5);
const H_CPU_CHAR_CACHE_COUNT_DIS = bit(7);
const H_CPU_CHAR_BCCTR_FLUSH_ASSIST = bit(9);
const H_CPU_BEHAV_FAVOUR_SECURITY = bit(0);
const H_CPU_BEHAV_L1D_FLUSH_PR = bit(1);
const H_CPU_BEHAV_BNDS_CHK_SPEC_BAR = bit(2);
const H_CPU_BEHAV_FLUSH_COUNT_CACHE = bit(5);
const H_CPU_BEHAV_NO_L1D_FLUSH_ENTRY = bit(7);
const H_CPU_BEHAV_NO_L1D_FLUSH_UACCESS = bit(8);

/** The two doublewords of an H_GET_CPU_CHARACTERISTICS answer, with the masks `KVM_PPC_GET_CPU_CHAR` adds. */
export interface CpuCharacteristics {
  readonly character: bigint;
  readonly characterMask: bigint;
  readonly behaviour: bigint;
  readonly behaviourMask: bigint;
}

/**
 * The bits Linux's `KVM_PPC_GET_CPU_CHAR` passes on inside a pseries guest (arch/powerpc/kvm/powerpc.c,
 * `pseries_get_cpu_char`): 0xff40… and 0xe400…, as the conformance KVM probe read them in a 6.1 L1.
 */
export const PSERIES_CPU_CHAR_MASKS = { characterMask: 0xff40000000000000n, behaviourMask: 0xe400000000000000n } as const;

/**
 * `h_get_cpu_characteristics` (QEMU 7.2): the answer a guest with these effective caps gets. cfpc workaround announces
 * the L1D flushes (with THREAD_PRIV), sbbc workaround the ori31 barrier, ibs fixed-ccd/fixed-ibs the count-cache
 * disable / bcctr serialisation, and **only ibs workaround** asks for the count-cache flush, with the flush assist iff
 * ccf-assist is on. A level the switch does not know (ibs index 4) aborts instead (`cpuCharacteristicsAbort`).
 */
export function cpuCharacteristicsAnswer(caps: SpaprCapLevels): { character: bigint; behaviour: bigint } {
  let character = H_CPU_CHAR_HON_BRANCH_HINTS;
  let behaviour = H_CPU_BEHAV_FAVOUR_SECURITY;
  const cfpc = caps.cfpc ?? SPAPR_CAP_BROKEN;
  if (cfpc === SPAPR_CAP_WORKAROUND) {
    character |= H_CPU_CHAR_L1D_FLUSH_ORI30 | H_CPU_CHAR_L1D_FLUSH_TRIG2 | H_CPU_CHAR_L1D_THREAD_PRIV;
    behaviour |= H_CPU_BEHAV_L1D_FLUSH_PR;
  } else if (cfpc === SPAPR_CAP_FIXED) {
    behaviour |= H_CPU_BEHAV_NO_L1D_FLUSH_ENTRY | H_CPU_BEHAV_NO_L1D_FLUSH_UACCESS;
  } else {
    behaviour |= H_CPU_BEHAV_L1D_FLUSH_PR;
  }
  const sbbc = caps.sbbc ?? SPAPR_CAP_BROKEN;
  if (sbbc === SPAPR_CAP_WORKAROUND) {
    character |= H_CPU_CHAR_SPEC_BAR_ORI31;
    behaviour |= H_CPU_BEHAV_BNDS_CHK_SPEC_BAR;
  } else if (sbbc !== SPAPR_CAP_FIXED) {
    behaviour |= H_CPU_BEHAV_BNDS_CHK_SPEC_BAR;
  }
  const ibs = caps.ibs ?? SPAPR_CAP_BROKEN;
  if (ibs === SPAPR_CAP_FIXED_CCD) character |= H_CPU_CHAR_CACHE_COUNT_DIS;
  else if (ibs === SPAPR_CAP_FIXED_IBS) character |= H_CPU_CHAR_BCCTRL_SERIALISED;
  else if (ibs === SPAPR_CAP_WORKAROUND) {
    behaviour |= H_CPU_BEHAV_FLUSH_COUNT_CACHE;
    if ((caps['ccf-assist'] ?? SPAPR_CAP_OFF) !== SPAPR_CAP_OFF) character |= H_CPU_CHAR_BCCTR_FLUSH_ASSIST;
  }
  return { character, behaviour };
}

/** Host levels as QEMU keeps them (`kvmppc_get_cap_safe_*`, `kvmppc_get_cap_count_cache_flush_assist`). */
export interface KvmMitigationLevels {
  readonly cfpc: number;
  readonly sbbc: number;
  /** 0–3, or SPAPR_CAP_FIXED_NA (0x10). */
  readonly ibs: number;
  readonly ccfAssist: number;
}

/**
 * target/ppc/kvm.c `parse_cap_ppc_safe_cache` / `_bounds_check` / `_indirect_branch` /
 * `parse_cap_ppc_count_cache_flush_assist` on a `KVM_PPC_GET_CPU_CHAR` answer. `power8Host` is
 * `kvmppc_power8_host()` (the PVR of the machine QEMU runs on): only there is L1D_THREAD_PRIV not required.
 */
export function kvmMitigationLevels(c: CpuCharacteristics, power8Host: boolean): KvmMitigationLevels {
  const has = (v: bigint, mask: bigint, b: bigint): boolean => (v & mask & b) !== 0n;
  const lacks = (v: bigint, mask: bigint, b: bigint): boolean => (~v & mask & b) !== 0n;
  const cfpc = lacks(c.behaviour, c.behaviourMask, H_CPU_BEHAV_L1D_FLUSH_PR)
    ? SPAPR_CAP_FIXED
    : (power8Host || has(c.character, c.characterMask, H_CPU_CHAR_L1D_THREAD_PRIV)) &&
        has(c.character, c.characterMask, H_CPU_CHAR_L1D_FLUSH_ORI30 | H_CPU_CHAR_L1D_FLUSH_TRIG2)
      ? SPAPR_CAP_WORKAROUND
      : SPAPR_CAP_BROKEN;
  const sbbc = lacks(c.behaviour, c.behaviourMask, H_CPU_BEHAV_BNDS_CHK_SPEC_BAR)
    ? SPAPR_CAP_FIXED
    : has(c.character, c.characterMask, H_CPU_CHAR_SPEC_BAR_ORI31)
      ? SPAPR_CAP_WORKAROUND
      : SPAPR_CAP_BROKEN;
  let ibs = SPAPR_CAP_BROKEN;
  if (
    lacks(c.behaviour, c.behaviourMask, H_CPU_BEHAV_FLUSH_COUNT_CACHE) &&
    lacks(c.character, c.characterMask, H_CPU_CHAR_CACHE_COUNT_DIS) &&
    lacks(c.character, c.characterMask, H_CPU_CHAR_BCCTRL_SERIALISED)
  ) {
    ibs = SPAPR_CAP_FIXED_NA;
  } else if (has(c.behaviour, c.behaviourMask, H_CPU_BEHAV_FLUSH_COUNT_CACHE)) ibs = SPAPR_CAP_WORKAROUND;
  else if (has(c.character, c.characterMask, H_CPU_CHAR_CACHE_COUNT_DIS)) ibs = SPAPR_CAP_FIXED_CCD;
  else if (has(c.character, c.characterMask, H_CPU_CHAR_BCCTRL_SERIALISED)) ibs = SPAPR_CAP_FIXED_IBS;
  const ccfAssist = has(c.character, c.characterMask, H_CPU_CHAR_BCCTR_FLUSH_ASSIST) ? SPAPR_CAP_ON : SPAPR_CAP_OFF;
  return { cfpc, sbbc, ibs, ccfAssist };
}

/**
 * What the KVM inside a guest P with these effective caps reports to the QEMU that starts P's own guests: P's QEMU
 * parent answers P's H_GET_CPU_CHARACTERISTICS from P's caps, P's Linux passes it on with the pseries masks, and
 * QEMU parses it. Not P's caps verbatim: ibs broken becomes fixed-na (no count-cache flush asked, none of CCD or
 * bcctr serialisation set), and the flush assist (ccf-assist) survives only with ibs workaround. Observed by the
 * conformance KVM probe (N12: cfpc/sbbc/ibs broken → broken, broken, fixed-na, off; N25: ibs fixed-ibs → ccf-assist
 * off, and the L2 default refused with "Requested count cache flush assist capability level not supported by KVM").
 */
export function nestedHostMitigations(caps: SpaprCapLevels, power8Host = false): KvmMitigationLevels {
  return kvmMitigationLevels({ ...cpuCharacteristicsAnswer(caps), ...PSERIES_CPU_CHAR_MASKS }, power8Host);
}
