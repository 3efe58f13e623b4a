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
import { SPAPR_CAP_BROKEN, SPAPR_CAP_FIXED_CCD, SPAPR_CAP_FIXED_IBS, SPAPR_CAP_FIXED_NA, SPAPR_CAP_WORKAROUND, SpaprCapLevels } from './spapr-caps';

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
