/**
 * What makes QEMU refuse to start (or warn) because of its caps: the `apply` hooks of
 * hw/ppc/spapr_caps.c run by `spapr_caps_apply()` from `spapr_machine_reset()` with
 * `&error_fatal`, in cap *index* order, plus the TCG SMT refusal of machine init.
 *
 * QEMU dies at the first error; we report every independent cause (rules.md "Precedence"),
 * in the order QEMU would meet them. Each cause carries the rule ID that owns it: a check
 * named by a specific rule (rpt-invalidate → BOOT-RPTI-*, Nested-HV → NEST-*) never carries
 * the family IDs BOOT-CAP-*. In a migration answer the planner re-labels every cause of this
 * file as `MIG-DEST-CAP-APPLY` quoting it (rules.md); that mapping is the rules engine's.
 */
import { CPU_POWERPC_LOGICAL_3_00, CPU_POWERPC_LOGICAL_3_10, CompatMode, checkCompat } from '@spapr/domain/machine/compat';
import { CpuClassFacts } from '@spapr/domain/machine/cpu-models';
import { RULE, RuleId } from '@spapr/domain/rules/rule-ids';
import { Cause, CauseSeverity, CauseValue } from './cause';
import { HostFacts, UNNAMED, isKvm, kvmCap, ramPageSizeKiB } from './host-facts';
import { QemuVersion, qemuAtLeast } from './qemu-version';
import {
  IBS_LEVELS,
  SPAPR_CAP_FIXED_CCD,
  SPAPR_CAP_FIXED_NA,
  SpaprCapLevels,
  SpaprCapName,
  TRISTATE_LEVELS,
  capsOf,
  levelName,
} from './spapr-caps';

/** Kept as an alias: every cap startup cause is a plain `Cause`. */
export type CapCause = Cause;

/** The guest side of the startup checks: what QEMU's machine state holds after init. */
export interface CapStartupGuest {
  /** `spapr->eff`. */
  readonly caps: SpaprCapLevels;
  /** The vCPU class (for `-cpu host`, the host family's). */
  readonly cpu: CpuClassFacts;
  readonly maxCpuCompat: CompatMode | null;
  /** `-smp threads` (default 1). */
  readonly smpThreads: number;
}

/** Host level for cfpc/sbbc (`parse_cap_ppc_safe_cache` / `_bounds_check`) and ibs (0..3 or 0x10). */
export interface HostMitigationLevels {
  readonly cfpc: number;
  readonly sbbc: number;
  readonly ibs: number;
  readonly ccfAssist: number;
}

/**
 * `kvmppc_get_cap_safe_*` and `kvmppc_get_cap_count_cache_flush_assist` (target/ppc/kvm.c).
 * They come from `KVM_PPC_GET_CPU_CHAR`; QEMU only issues it when `KVM_CAP_PPC_GET_CPU_CHAR`
 * is present, else everything is 0 (broken). A snapshot that records `mitigations` evidently
 * got an answer, so the levels are used unless the cap is explicitly recorded as 0; a missing
 * field is 0. fixed-na is the KVM value 0x10, not the command-line index 4.
 */
export function hostMitigationLevels(host: HostFacts): HostMitigationLevels {
  const m = host.kvm?.mitigations;
  if (!m || host.kvm?.caps.KVM_CAP_PPC_GET_CPU_CHAR === 0) {
    return { cfpc: 0, sbbc: 0, ibs: 0, ccfAssist: 0 };
  }
  const tri = (v: string | undefined): number => Math.max(0, (TRISTATE_LEVELS as readonly string[]).indexOf(v ?? 'broken'));
  const ibs = m.ibs === 'fixed-na' ? SPAPR_CAP_FIXED_NA : Math.max(0, (IBS_LEVELS as readonly string[]).indexOf(m.ibs ?? 'broken'));
  return { cfpc: tri(m.cfpc), sbbc: tri(m.sbbc), ibs, ccfAssist: m['ccf-assist'] === 'on' ? 1 : 0 };
}

function appending(opt: string): string {
  return `Try appending -machine ${opt}`;
}

/**
 * Every startup cause of the caps for `guest` on `host`, in the order QEMU meets them:
 * machine init (TCG SMT, QEMU < 8.1) first, then each cap's apply hook in index order.
 */
export function checkCapsAtStartup(host: HostFacts, qemu: QemuVersion, guest: CapStartupGuest): CapCause[] {
  const tcg = !isKvm(host);
  // hw/ppc/spapr.c spapr_set_vsmt_mode, machine init, before any cap: only this cause.
  if (tcg && guest.smpThreads > 1 && !qemuAtLeast(qemu, '8.1')) {
    return [
      {
        ruleId: RULE.BOOT_TCG_THREADS,
        severity: 'error',
        cap: null,
        message: 'TCG cannot support more than 1 thread/core on a pseries machine',
        hint: null,
        values: { accelerator: host.accelerator, threads: guest.smpThreads, qemu: `${qemu.major}.${qemu.minor}` },
        source: 'hw/ppc/spapr.c:spapr_set_vsmt_mode',
      },
    ];
  }
  const causes: CapCause[] = [];
  const mitigations = hostMitigationLevels(host);
  const maxPvr = guest.maxCpuCompat?.pvr ?? 0;
  const reaches = (pvr: number): boolean => checkCompat(guest.cpu.pcrSupported, pvr, 0, maxPvr, qemu);
  const compatName = guest.maxCpuCompat?.name ?? null;
  // What the rules.md §B templates name: the host, the QEMU version, the CPU and its compat mode.
  const h = host.hostId ?? UNNAMED;
  const qv = `${qemu.major}.${qemu.minor}`;
  const cpuNames = { cpu: guest.cpu.family, mc: compatName ?? 'unset' };
  const add = (
    ruleId: RuleId,
    severity: CauseSeverity,
    cap: SpaprCapName | null,
    message: string,
    hint: string | null,
    values: Record<string, CauseValue>,
    source: string,
  ): void => {
    causes.push({ ruleId, severity, cap, message, hint, values, source });
  };
  const level = (name: SpaprCapName): number => guest.caps[name] ?? 0;

  for (const info of capsOf(qemu)) {
    const name = info.name;
    const val = level(name);
    const src = `hw/ppc/spapr_caps.c:${applyHook(name)}`;
    const base = { accelerator: host.accelerator, [`cap-${name}`]: levelName(info, val) };
    switch (name) {
      case 'htm':
        if (!val) break;
        if (tcg) {
          add(RULE.BOOT_CAP_UNSUPPORTED_TCG, 'error', name, 'No Transactional Memory support in TCG', appending('cap-htm=off'), base, src);
        } else if (!kvmCap(host, 'KVM_CAP_PPC_HTM')) {
          // kvm_arch_init_vcpu also sets cap_htm for a POWER8-family vCPU on KVM-HV when the host's
          // AT_HWCAP2 has HTM; KVM_CAP_PPC_HTM already reflects that on every kernel that has HTM.
          add(RULE.BOOT_CAP_UNSUPPORTED_KVM, 'error', name, 'KVM implementation does not support Transactional Memory', appending('cap-htm=off'), { ...base, KVM_CAP_PPC_HTM: 0 }, src);
        }
        break;
      case 'vsx':
        if (val && !guest.cpu.vsx) {
          add(RULE.BOOT_CAP_CPU_FEATURE, 'error', name, 'VSX support not available', appending('cap-vsx=off'), { ...base, cpu: guest.cpu.family }, src);
        }
        break;
      case 'dfp':
        if (val && !guest.cpu.dfp) {
          add(RULE.BOOT_CAP_CPU_FEATURE, 'error', name, 'DFP support not available', appending('cap-dfp=off'), { ...base, cpu: guest.cpu.family }, src);
        }
        break;
      case 'cfpc':
      case 'sbbc':
      case 'ibs': {
        if (tcg) {
          if (val > 0) {
            add(RULE.BOOT_CAP_TCG_WARN, 'warning', name, `TCG doesn't support requested feature, cap-${name}=${levelName(info, val)}`, null, base, src);
          }
          break;
        }
        const hostLevel = name === 'cfpc' ? mitigations.cfpc : name === 'sbbc' ? mitigations.sbbc : mitigations.ibs;
        if (val > hostLevel) {
          const what = name === 'cfpc' ? 'safe cache' : name === 'sbbc' ? 'safe bounds check' : 'safe indirect branch';
          add(
            RULE.BOOT_CAP_SPECTRE_KVM,
            'error',
            name,
            `Requested ${what} capability level not supported by KVM`,
            appending(`cap-${name}=${levelName(info, hostLevel)}`),
            { ...base, requested: val, host: hostLevel },
            src,
          );
        }
        break;
      }
      case 'hpt-max-page-size': {
        if (val < 12) {
          add(RULE.BOOT_HPT_PAGESIZE, 'error', name, 'Require at least 4kiB hpt-max-page-size', null, { ...base, shift: val }, src);
          break;
        }
        if (val < 16) {
          add(RULE.BOOT_HPT_PAGESIZE, 'warning', name, 'Many guests require at least 64kiB hpt-max-page-size', null, { ...base, shift: val }, src);
        }
        // spapr_check_pagesize: only when kvmppc_hpt_needs_host_contiguous_pages(), i.e. KVM-HV
        // (KVM_PPC_PAGE_SIZES_REAL), whatever MMU the guest will use and whatever the host level.
        if (host.accelerator === 'kvm-hv') {
          const hostKiB = ramPageSizeKiB(host);
          const maxKiB = 2 ** val / 1024;
          if (maxKiB > hostKiB) {
            add(
              RULE.BOOT_HPT_PAGESIZE,
              'error',
              name,
              `Can't support ${maxKiB} kiB guest pages with ${hostKiB} kiB host pages with this KVM implementation`,
              null,
              { ...base, shift: val, guestPageKiB: maxKiB, hostPageKiB: hostKiB },
              'hw/ppc/spapr_caps.c:spapr_check_pagesize',
            );
          }
        }
        break;
      }
      case 'nested-hv': {
        if (!val) break;
        const old = !qemuAtLeast(qemu, '7.0'); // QEMU 3.1–6.2 spelled it "Nested KVM-HV"
        if (tcg && old) {
          add(RULE.NEST_TCG_UNSUPPORTED, 'error', name, 'No Nested KVM-HV support in TCG', appending('cap-nested-hv=off'), { ...base, qv }, src);
          break;
        }
        if (!guest.cpu.isa300) {
          add(RULE.NEST_POWER8, 'error', name, old ? 'Nested KVM-HV only supported on POWER9' : 'Nested-HV only supported on POWER9 and later', appending('cap-nested-hv=off'), { ...base, ...cpuNames }, src);
          break;
        }
        if (!tcg) {
          if (!reaches(CPU_POWERPC_LOGICAL_3_00)) {
            add(RULE.NEST_POWER8, 'error', name, old ? 'Nested KVM-HV only supported on POWER9' : 'Nested-HV only supported on POWER9 and later', appending('max-cpu-compat=power9'), { ...base, ...cpuNames }, src);
          } else if (!kvmCap(host, 'KVM_CAP_PPC_NESTED_HV')) {
            add(
              RULE.NEST_HV_DISABLED,
              'error',
              name,
              old ? 'KVM implementation does not support Nested KVM-HV' : 'KVM implementation does not support Nested-HV',
              appending('cap-nested-hv=off'),
              { ...base, h, n: host.kvm?.nestedEnabled ? 1 : 0, ...cpuNames, hm: kvmCap(host, 'KVM_CAP_PPC_MMU_RADIX') === 1 ? 'radix' : 'hash', KVM_CAP_PPC_NESTED_HV: 0 },
              src,
            );
          }
          break;
        }
        if (qemuAtLeast(qemu, '8.1') && guest.smpThreads > 1) {
          add(RULE.NEST_TCG_SMT, 'error', name, 'TCG does not support nested-HV with SMT', 'Try appending -machine cap-nested-hv=off or use threads=1 with -smp', { ...base, t: guest.smpThreads }, src);
        }
        break;
      }
      case 'large-decr': {
        if (!val) break;
        if (tcg) {
          if (!reaches(CPU_POWERPC_LOGICAL_3_00)) {
            add(RULE.BOOT_CAP_UNSUPPORTED_TCG, 'error', name, 'Large decrementer only supported on POWER9', 'Try -cpu POWER9', { ...base, cpu: guest.cpu.family, maxCpuCompat: compatName }, src);
          }
          break;
        }
        const hostBits = host.kvm?.decrBits ?? 0;
        if (!hostBits) {
          add(RULE.BOOT_CAP_UNSUPPORTED_KVM, 'error', name, 'No large decrementer support', appending('cap-large-decr=off'), { ...base, hostDecrBits: 0 }, src);
        } else if (guest.cpu.lrgDecrBits !== hostBits) {
          add(
            RULE.BOOT_LARGE_DECR_WIDTH,
            'error',
            name,
            `KVM large decrementer size (${hostBits}) differs to model (${guest.cpu.lrgDecrBits})`,
            appending('cap-large-decr=off'),
            { ...base, hostDecrBits: hostBits, modelDecrBits: guest.cpu.lrgDecrBits },
            src,
          );
        }
        break;
      }
      case 'ccf-assist': {
        if (!val) break;
        if (tcg) {
          add(RULE.BOOT_CAP_TCG_WARN, 'warning', name, "TCG doesn't support requested feature, cap-ccf-assist=on", null, base, src);
          break;
        }
        if (val > mitigations.ccfAssist) {
          if (mitigations.ibs === SPAPR_CAP_FIXED_CCD) {
            // "If we don't have the assist instruction, the count cache is disabled by
            // firmware, so the flush is a harmless no-op": equality with FIXED_CCD only.
            add(RULE.MIG_CCF_ASSIST_EXCEPTION, 'info', name, 'ccf-assist check skipped: host ibs is fixed-ccd', null, { ...base, hostCcfAssist: 0, hostIbs: mitigations.ibs }, src);
          } else {
            add(
              RULE.BOOT_CCF_ASSIST_KVM,
              'error',
              name,
              'Requested count cache flush assist capability level not supported by KVM',
              appending('cap-ccf-assist=off'),
              { ...base, hostCcfAssist: 0, hostIbs: mitigations.ibs },
              src,
            );
          }
        }
        break;
      }
      case 'fwnmi':
        if (val && !tcg && !kvmCap(host, 'KVM_CAP_PPC_FWNMI')) {
          add(RULE.BOOT_CAP_UNSUPPORTED_KVM, 'error', name, 'Firmware Assisted Non-Maskable Interrupts(FWNMI) not supported by KVM.', appending('cap-fwnmi=off'), { ...base, KVM_CAP_PPC_FWNMI: 0 }, src);
        }
        break;
      case 'rpt-invalidate':
        if (!val) break;
        if (tcg) {
          add(RULE.BOOT_RPTI_TCG, 'error', name, 'No H_RPT_INVALIDATE support in TCG', appending('cap-rpt-invalidate=off'), { ...base, h }, src);
        } else if (!kvmCap(host, 'KVM_CAP_PPC_MMU_RADIX')) {
          add(RULE.BOOT_RPTI_NO_RADIX, 'error', name, 'H_RPT_INVALIDATE only supported on Radix', null, { ...base, h, KVM_CAP_PPC_MMU_RADIX: 0 }, src);
        } else if (!kvmCap(host, 'KVM_CAP_PPC_RPT_INVALIDATE')) {
          add(
            RULE.BOOT_RPTI_KVM_MISSING,
            'error',
            name,
            'KVM implementation does not support H_RPT_INVALIDATE',
            appending('cap-rpt-invalidate=off'),
            { ...base, h, k: host.kernel?.release ?? 'unknown', KVM_CAP_PPC_RPT_INVALIDATE: 0 },
            src,
          );
        }
        break;
      case 'ail-mode-3':
        if (!val) break;
        if (tcg) {
          if (!guest.cpu.isa207s) {
            add(RULE.BOOT_CAP_UNSUPPORTED_TCG, 'error', name, 'TCG only supports cap-ail-mode-3 on POWER8 and later CPUs', appending('cap-ail-mode-3=off'), { ...base, cpu: guest.cpu.family }, src);
          }
        } else if (!kvmCap(host, 'KVM_CAP_PPC_AIL_MODE_3')) {
          add(RULE.BOOT_CAP_UNSUPPORTED_KVM, 'error', name, 'KVM implementation does not support cap-ail-mode-3', appending('cap-ail-mode-3=off'), { ...base, KVM_CAP_PPC_AIL_MODE_3: 0 }, src);
        }
        break;
      case 'nested-papr':
        if (!val) break;
        if (!tcg) {
          add(RULE.NEST_PAPR_KVM, 'error', name, 'KVM implementation does not support Nested-PAPR', appending('cap-nested-papr=off'), base, src);
        } else if (!guest.cpu.isa300) {
          add(RULE.BOOT_CAP_CPU_FEATURE, 'error', name, 'Nested-PAPR only supported on POWER9 and later', appending('cap-nested-papr=off'), { ...base, cpu: guest.cpu.family }, src);
        } else if (level('nested-hv')) {
          // nested-hv (index 7) already chose NESTED_API_KVM_HV, so nested-papr reports the clash.
          add(RULE.NEST_API_EXCLUSIVE, 'error', name, 'Nested-HV APIs are mutually exclusive', 'Please use either cap-nested-hv or cap-nested-papr to proceed.', { ...base, 'cap-nested-hv': 'on' }, src);
        }
        break;
      case 'dawr1':
        if (!val) break;
        if (!reaches(CPU_POWERPC_LOGICAL_3_10)) {
          add(RULE.BOOT_CAP_CPU_FEATURE, 'error', name, 'DAWR1 supported only on POWER10 and later CPUs', appending('cap-dawr1=off'), { ...base, cpu: guest.cpu.family, maxCpuCompat: compatName }, src);
        } else if (!tcg && !kvmCap(host, 'KVM_CAP_PPC_DAWR1')) {
          add(RULE.BOOT_CAP_UNSUPPORTED_KVM, 'error', name, 'DAWR1 not supported by KVM.', appending('cap-dawr1=off'), { ...base, KVM_CAP_PPC_DAWR1: 0 }, src);
        }
        break;
      default: {
        const unreachable: never = name;
        throw new Error(`unhandled cap ${String(unreachable)}`);
      }
    }
  }
  return causes;
}

function applyHook(name: SpaprCapName): string {
  const hooks: Record<SpaprCapName, string> = {
    htm: 'cap_htm_apply',
    vsx: 'cap_vsx_apply',
    dfp: 'cap_dfp_apply',
    cfpc: 'cap_safe_cache_apply',
    sbbc: 'cap_safe_bounds_check_apply',
    ibs: 'cap_safe_indirect_branch_apply',
    'hpt-max-page-size': 'cap_hpt_maxpagesize_apply',
    'nested-hv': 'cap_nested_kvm_hv_apply',
    'large-decr': 'cap_large_decr_apply',
    'ccf-assist': 'cap_ccf_assist_apply',
    fwnmi: 'cap_fwnmi_apply',
    'rpt-invalidate': 'cap_rpt_invalidate_apply',
    'ail-mode-3': 'cap_ail_mode_3_apply',
    'nested-papr': 'cap_nested_papr_apply',
    dawr1: 'cap_dawr1_apply',
  };
  return hooks[name];
}


