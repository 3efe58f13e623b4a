/**
 * Default cap levels D(cap, machine, cpu, max-cpu-compat, accelerator, RAM page size):
 * rules.md DEF-CAPS-CLASS → DEF-CAPS-MACHINE → DEF-CAPS-CPU, i.e. QEMU's
 * `spapr_machine_class_init` defaults, the cumulative `spapr_machine_X_Y_class_options`
 * overrides, then `default_caps_with_cpu()` (hw/ppc/spapr_caps.c).
 *
 * Effective caps (`spapr->eff`) are these defaults with the command-line caps laid over them
 * (`spapr_caps_init`: every cap not in `cmd_line_caps` takes its default).
 */
import { CompatMode, CPU_POWERPC_LOGICAL_2_06, CPU_POWERPC_LOGICAL_2_06_PLUS, CPU_POWERPC_LOGICAL_2_07, CPU_POWERPC_LOGICAL_3_00, CPU_POWERPC_LOGICAL_3_10, PcrLevel, checkCompat } from '@spapr/domain/machine/compat';
import { Accelerator } from '@spapr/domain/machine/cpu-models';
import { PseriesMachineType, machineAtMost } from '@spapr/domain/machine/machine-types';
import { RULE, RuleId } from '@spapr/domain/rules/rule-ids';
import { QemuVersion } from './qemu-version';
import {
  SPAPR_CAP_BROKEN,
  SPAPR_CAP_FIXED_CCD,
  SPAPR_CAP_OFF,
  SPAPR_CAP_ON,
  SPAPR_CAP_WORKAROUND,
  SpaprCapLevels,
  SpaprCapName,
  capsOf,
} from './spapr-caps';

/** `spapr_machine_class_init` (Q7.2 = Q10.2 for the caps both have). */
const CLASS_DEFAULTS: Readonly<Record<SpaprCapName, number>> = {
  htm: SPAPR_CAP_OFF,
  vsx: SPAPR_CAP_ON,
  dfp: SPAPR_CAP_ON,
  cfpc: SPAPR_CAP_WORKAROUND,
  sbbc: SPAPR_CAP_WORKAROUND,
  ibs: SPAPR_CAP_WORKAROUND,
  'hpt-max-page-size': 16, // 64 KiB
  'nested-hv': SPAPR_CAP_OFF,
  'large-decr': SPAPR_CAP_ON,
  'ccf-assist': SPAPR_CAP_ON,
  fwnmi: SPAPR_CAP_ON,
  'rpt-invalidate': SPAPR_CAP_OFF,
  'ail-mode-3': SPAPR_CAP_ON,
  'nested-papr': SPAPR_CAP_OFF,
  dawr1: SPAPR_CAP_ON,
};

/** Why a default has the value it has, for explanations. */
export interface CapDefaultStep {
  readonly cap: SpaprCapName;
  readonly ruleId: RuleId;
  readonly level: number;
  readonly reason: string;
}

export interface CapDefaults {
  readonly caps: SpaprCapLevels;
  /** Every override applied on top of the class default, in application order. */
  readonly steps: readonly CapDefaultStep[];
}

/** DEF-CAPS-CLASS: the class defaults of the caps this QEMU has. */
export function classDefaultCaps(qemu: QemuVersion): SpaprCapLevels {
  return Object.fromEntries(capsOf(qemu).map((c) => [c.name, CLASS_DEFAULTS[c.name]]));
}

/**
 * DEF-CAPS-MACHINE: `smc->default_caps` of a machine type. Each `spapr_machine_X_Y_class_options`
 * first calls the next-newer one, so an older type inherits every newer override.
 * ail-mode-3, dawr1, rpt-invalidate and nested-papr have no versioned override.
 */
export function machineDefaultCaps(qemu: QemuVersion, machine: PseriesMachineType): CapDefaults {
  const caps: Partial<Record<SpaprCapName, number>> = { ...classDefaultCaps(qemu) };
  const steps: CapDefaultStep[] = [];
  const set = (cap: SpaprCapName, level: number, reason: string): void => {
    if (caps[cap] === undefined) return;
    caps[cap] = level;
    steps.push({ cap, ruleId: RULE.DEF_CAPS_MACHINE, level, reason });
  };
  if (machineAtMost(machine, '4.2')) {
    set('ccf-assist', SPAPR_CAP_OFF, 'spapr_machine_4_2_class_options');
    set('fwnmi', SPAPR_CAP_OFF, 'spapr_machine_4_2_class_options');
  }
  if (machineAtMost(machine, '3.1')) {
    set('cfpc', SPAPR_CAP_BROKEN, 'spapr_machine_3_1_class_options');
    set('sbbc', SPAPR_CAP_BROKEN, 'spapr_machine_3_1_class_options');
    set('ibs', SPAPR_CAP_BROKEN, 'spapr_machine_3_1_class_options');
    set('large-decr', SPAPR_CAP_OFF, 'spapr_machine_3_1_class_options');
  }
  if (machineAtMost(machine, '2.12')) {
    set('hpt-max-page-size', 0, 'spapr_machine_2_12_class_options: computed at init');
  }
  if (machine.sxxm) {
    set('cfpc', SPAPR_CAP_WORKAROUND, 'spapr_machine_2_12_sxxm_class_options');
    set('sbbc', SPAPR_CAP_WORKAROUND, 'spapr_machine_2_12_sxxm_class_options');
    set('ibs', SPAPR_CAP_FIXED_CCD, 'spapr_machine_2_12_sxxm_class_options');
  }
  if (machineAtMost(machine, '2.11') && !machine.sxxm) {
    set('htm', SPAPR_CAP_ON, 'spapr_machine_2_11_class_options');
  }
  return { caps, steps };
}

export interface CapDefaultsInput {
  readonly qemu: QemuVersion;
  readonly machine: PseriesMachineType;
  /** The CPU class's `pcr_supported` (for `-cpu host`: the host family's). */
  readonly cpuPcrSupported: readonly PcrLevel[];
  readonly maxCpuCompat: CompatMode | null;
  readonly accelerator: Accelerator;
  /** SPEC §2.1 `kvm.ramPageSizeKiB` (default 64): `qemu_minrampagesize()`. */
  readonly ramPageSizeKiB: number;
}

/**
 * DEF-CAPS-CPU, `default_caps_with_cpu()`: a cap is lowered when
 * `ppc_type_check_compat(cputype, LEVEL, 0, max_compat_pvr)` is false, i.e. the CPU class
 * lacks LEVEL or `max-cpu-compat` is below it. For a class default hpt-max-page-size of 0
 * (pseries-2.12 and older): `ctz64(qemu_minrampagesize())` when
 * `kvmppc_hpt_needs_host_contiguous_pages()` (KVM with `KVM_PPC_PAGE_SIZES_REAL`, which
 * KVM-HV always sets and KVM-PR never does), else 34 (16 GiB: "everything").
 */
export function defaultCapsWithCpu(input: CapDefaultsInput): CapDefaults {
  const machineDefaults = machineDefaultCaps(input.qemu, input.machine);
  const caps: Partial<Record<SpaprCapName, number>> = { ...machineDefaults.caps };
  const steps: CapDefaultStep[] = [...machineDefaults.steps];
  const maxPvr = input.maxCpuCompat?.pvr ?? 0;
  const reaches = (pvr: number): boolean => checkCompat(input.cpuPcrSupported, pvr, 0, maxPvr, input.qemu);
  const lower = (cap: SpaprCapName, level: number, reason: string): void => {
    if (caps[cap] === undefined) return;
    caps[cap] = level;
    steps.push({ cap, ruleId: RULE.DEF_CAPS_CPU, level, reason });
  };
  const why = (level: string): string =>
    `CPU/max-cpu-compat does not reach ISA ${level} (ppc_type_check_compat false in default_caps_with_cpu)`;

  if (!reaches(CPU_POWERPC_LOGICAL_3_10)) lower('dawr1', SPAPR_CAP_OFF, why('3.10'));
  if (!reaches(CPU_POWERPC_LOGICAL_3_00)) lower('large-decr', SPAPR_CAP_OFF, why('3.00'));
  if (!reaches(CPU_POWERPC_LOGICAL_2_07)) {
    lower('htm', SPAPR_CAP_OFF, why('2.07'));
    lower('cfpc', SPAPR_CAP_BROKEN, why('2.07'));
    lower('ail-mode-3', SPAPR_CAP_OFF, why('2.07'));
  }
  if (!reaches(CPU_POWERPC_LOGICAL_2_06_PLUS)) lower('sbbc', SPAPR_CAP_BROKEN, why('2.06+'));
  if (!reaches(CPU_POWERPC_LOGICAL_2_06)) {
    lower('vsx', SPAPR_CAP_OFF, why('2.06'));
    lower('dfp', SPAPR_CAP_OFF, why('2.06'));
    lower('ibs', SPAPR_CAP_BROKEN, why('2.06'));
  }
  if (machineDefaults.caps['hpt-max-page-size'] === 0) {
    const needsContiguous = input.accelerator === 'kvm-hv';
    const shift = needsContiguous ? log2Floor(input.ramPageSizeKiB * 1024) : 34;
    caps['hpt-max-page-size'] = shift;
    steps.push({
      cap: 'hpt-max-page-size',
      ruleId: RULE.DEF_CAPS_CPU,
      level: shift,
      reason: needsContiguous
        ? `computed: ctz64(qemu_minrampagesize()) for ${input.ramPageSizeKiB} KiB RAM pages (KVM_PPC_PAGE_SIZES_REAL)`
        : 'computed: 34 (no host-contiguous pages needed)',
    });
  }
  return { caps, steps };
}

/** `spapr->eff`: the defaults with the command-line caps laid over them. */
export function effectiveCaps(defaults: SpaprCapLevels, commandLine: SpaprCapLevels): SpaprCapLevels {
  const out: Partial<Record<SpaprCapName, number>> = { ...defaults };
  for (const [name, level] of Object.entries(commandLine) as Array<[SpaprCapName, number | undefined]>) {
    if (level !== undefined && name in out) {
      out[name] = level;
    }
  }
  return out;
}

/** ctz64 of a power of two; for any other size the lowest set bit, as ctz64 gives. */
function log2Floor(bytes: number): number {
  let n = Math.max(1, Math.floor(bytes));
  let shift = 0;
  while ((n & 1) === 0) {
    n = Math.floor(n / 2);
    shift += 1;
  }
  return shift;
}
