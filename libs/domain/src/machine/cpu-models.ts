/**
 * CPU models a pseries machine accepts (`-cpu`), per QEMU version, and the facts about each
 * CPU class that the caps and CAS depend on (target/ppc/cpu_init.c, cpu-models.c).
 *
 * QEMU accepts a `-cpu` for pseries only when `spapr_get_cpu_core_type()` finds a
 * `<model>-spapr-cpu-core` type (hw/ppc/spapr_cpu_core.c), else
 * "Unable to find sPAPR CPU Core definition". Names are lower-cased first and looked up in
 * `ppc_cpu_aliases` (`ppc_cpu_class_by_name`), so `POWER9` works.
 */
import { QemuVersion, qemuAtLeast } from '@spapr/domain/caps/qemu-version';
import { RULE, RuleId } from '@spapr/domain/rules/rule-ids';
import { PcrLevel } from './compat';

export type CpuFamily = '970' | 'POWER5+' | 'POWER7' | 'POWER8' | 'POWER9' | 'POWER10' | 'POWER11';

/** Host CPU models of SPEC §2.1 `cpu.model`. */
export type HostCpuModel = 'POWER8' | 'POWER9' | 'POWER10' | 'POWER11';

export type Accelerator = 'kvm-hv' | 'kvm-pr' | 'tcg';

export interface CpuClassFacts {
  readonly family: CpuFamily;
  /** `pcc->pcr_supported`: the compat levels the class can run. */
  readonly pcrSupported: readonly PcrLevel[];
  /** `PPC2_VSX`, `PPC2_DFP`, `PPC2_ISA207S`, `PPC2_ISA300` in `insns_flags2`. */
  readonly vsx: boolean;
  readonly dfp: boolean;
  readonly isa207s: boolean;
  readonly isa300: boolean;
  /** `pcc->lrg_decr_bits`: the model's large-decrementer width (0 = none). */
  readonly lrgDecrBits: number;
}

const P7_LEVELS: readonly PcrLevel[] = ['2.06', '2.05'];
const P8_LEVELS: readonly PcrLevel[] = ['2.07', '2.06', '2.05'];
const P9_LEVELS: readonly PcrLevel[] = ['3.00', '2.07', '2.06', '2.05'];
const P10_LEVELS: readonly PcrLevel[] = ['3.10', '3.00', '2.07', '2.06', '2.05'];

export const CPU_FAMILIES: Readonly<Record<CpuFamily, CpuClassFacts>> = Object.freeze({
  '970': { family: '970', pcrSupported: [], vsx: false, dfp: false, isa207s: false, isa300: false, lrgDecrBits: 0 },
  'POWER5+': { family: 'POWER5+', pcrSupported: [], vsx: false, dfp: false, isa207s: false, isa300: false, lrgDecrBits: 32 },
  POWER7: { family: 'POWER7', pcrSupported: P7_LEVELS, vsx: true, dfp: true, isa207s: false, isa300: false, lrgDecrBits: 32 },
  POWER8: { family: 'POWER8', pcrSupported: P8_LEVELS, vsx: true, dfp: true, isa207s: true, isa300: false, lrgDecrBits: 32 },
  POWER9: { family: 'POWER9', pcrSupported: P9_LEVELS, vsx: true, dfp: true, isa207s: true, isa300: true, lrgDecrBits: 56 },
  POWER10: { family: 'POWER10', pcrSupported: P10_LEVELS, vsx: true, dfp: true, isa207s: true, isa300: true, lrgDecrBits: 56 },
  // POWER11 class: same PCR set and decrementer as POWER10 (read in Q10.2).
  POWER11: { family: 'POWER11', pcrSupported: P10_LEVELS, vsx: true, dfp: true, isa207s: true, isa300: true, lrgDecrBits: 56 },
});

export interface CpuModelDef {
  /** QEMU type name without `-powerpc64-cpu`, e.g. `power9_v2.0`. */
  readonly typeName: string;
  readonly family: CpuFamily;
  /** Raw PVR (`CPU_POWERPC_*`, target/ppc/cpu-models.h). */
  readonly pvr: number;
  /** QEMU releases that have a spapr-cpu-core type for it: [since, until) ("until" exclusive). */
  readonly since: string;
  readonly until?: string;
}

/*
 * Q7.2 and Q10.2 lists are read (machine-types.md §4.1). Where between them each change landed
 * (power5+/power7+ renamed to power5p/power7p, power9_v1.0 and power10_v1.0 dropped,
 * power9_v2.2 added) is derived: 9.0, the release whose pseries-8.2 options first name
 * power9_v2.2. POWER11 in 10.0 is likewise derived.
 */
const CHANGE_9_0 = '9.0';
export const CPU_MODELS: readonly CpuModelDef[] = Object.freeze([
  { typeName: '970_v2.2', family: '970', pvr: 0x00390202, since: '2.1' },
  { typeName: '970mp_v1.0', family: '970', pvr: 0x00440100, since: '2.1' },
  { typeName: '970mp_v1.1', family: '970', pvr: 0x00440101, since: '2.1' },
  { typeName: 'power5+_v2.1', family: 'POWER5+', pvr: 0x003b0201, since: '2.1', until: CHANGE_9_0 },
  { typeName: 'power5p_v2.1', family: 'POWER5+', pvr: 0x003b0201, since: CHANGE_9_0 },
  { typeName: 'power7_v2.3', family: 'POWER7', pvr: 0x003f0203, since: '2.1' },
  { typeName: 'power7+_v2.1', family: 'POWER7', pvr: 0x004a0201, since: '2.1', until: CHANGE_9_0 },
  { typeName: 'power7p_v2.1', family: 'POWER7', pvr: 0x004a0201, since: CHANGE_9_0 },
  { typeName: 'power8_v2.0', family: 'POWER8', pvr: 0x004d0200, since: '2.1' },
  { typeName: 'power8e_v2.1', family: 'POWER8', pvr: 0x004b0201, since: '2.1' },
  { typeName: 'power8nvl_v1.0', family: 'POWER8', pvr: 0x004c0100, since: '2.6' },
  { typeName: 'power9_v1.0', family: 'POWER9', pvr: 0x004e0100, since: '2.10', until: CHANGE_9_0 },
  { typeName: 'power9_v2.0', family: 'POWER9', pvr: 0x004e1200, since: '2.10' },
  { typeName: 'power9_v2.2', family: 'POWER9', pvr: 0x004e1202, since: CHANGE_9_0 },
  { typeName: 'power10_v1.0', family: 'POWER10', pvr: 0x00800100, since: '6.0', until: CHANGE_9_0 },
  { typeName: 'power10_v2.0', family: 'POWER10', pvr: 0x00801200, since: '6.0' },
  { typeName: 'power11_v2.0', family: 'POWER11', pvr: 0x00820200, since: '10.0' },
]);

/** `ppc_cpu_aliases` (target/ppc/cpu-models.c): alias → type name, per QEMU version. */
function aliasesOf(qemu: QemuVersion): Record<string, string> {
  const renamed = qemuAtLeast(qemu, CHANGE_9_0);
  const aliases: Record<string, string> = {
    '970': '970_v2.2',
    '970mp': '970mp_v1.1',
    'power5+': renamed ? 'power5p_v2.1' : 'power5+_v2.1',
    power7: 'power7_v2.3',
    'power7+': renamed ? 'power7p_v2.1' : 'power7+_v2.1',
    power8: 'power8_v2.0',
    power8e: 'power8e_v2.1',
    power8nvl: 'power8nvl_v1.0',
    power9: renamed ? 'power9_v2.2' : 'power9_v2.0',
    power10: 'power10_v2.0',
  };
  if (qemuAtLeast(qemu, '10.0')) {
    aliases['power11'] = 'power11_v2.0';
  }
  return aliases;
}

export function cpuModelsOf(qemu: QemuVersion): CpuModelDef[] {
  return CPU_MODELS.filter((m) => qemuAtLeast(qemu, m.since) && (m.until === undefined || !qemuAtLeast(qemu, m.until)));
}

/** A `-cpu` resolved to the CPU class QEMU instantiates. */
export interface ResolvedCpu {
  /** What was asked (`host`, `POWER9`, `power9_v2.0`…). */
  readonly requested: string;
  /** `host` or the concrete type name. */
  readonly typeName: string;
  readonly isHost: boolean;
  readonly facts: CpuClassFacts;
  /** Raw PVR the vCPU reports; `null` for `host` when the host's exact PVR is not known. */
  readonly pvr: number | null;
}

export interface CpuResolutionError {
  readonly ruleId: RuleId;
  readonly message: string;
  readonly field: 'cpu';
}

export type CpuResolution = { readonly ok: true; readonly cpu: ResolvedCpu } | { readonly ok: false; readonly errors: readonly CpuResolutionError[] };

export interface CpuResolutionHost {
  readonly accelerator: Accelerator;
  /** SPEC §2.1 `cpu.model`: the host class `-cpu host` becomes under KVM. */
  readonly cpuModel: HostCpuModel;
}

/**
 * Resolve a `-cpu` value (with optional `,prop=value` suffix) as QEMU does for pseries.
 *
 * - `host` exists only under KVM (`kvm_ppc_register_host_cpu_type`); it is a subclass of the
 *   host PVR's class, so it has the host family's facts. Under TCG: "unable to find CPU model".
 * - KVM-HV refuses a vCPU PVR other than the host's (`kvm_arch_vcpu_ioctl_set_sregs_hv`), and
 *   QEMU says so in `kvm_arch_init_vcpu`. We can only compare families (the host's exact PVR is
 *   not in the snapshot), so a named model of another family is refused; one of the same family
 *   is accepted (its exact revision may still differ from the host's).
 * - `compat=` was removed in 6.0 (docs/about/removed-features.rst).
 */
export function resolveCpuModel(cpuOption: string, qemu: QemuVersion, host: CpuResolutionHost): CpuResolution {
  const [rawName = '', ...props] = cpuOption.split(',');
  const errors: CpuResolutionError[] = [];
  for (const prop of props) {
    const key = prop.split('=')[0] ?? '';
    if (key === 'compat' && qemuAtLeast(qemu, '6.0')) {
      errors.push({
        ruleId: RULE.BOOT_CPU_COMPAT_PROP,
        field: 'cpu',
        message: `Property '${rawName}-powerpc64-cpu.compat' not found (compat was removed in QEMU 6.0; use -machine max-cpu-compat=)`,
      });
    }
  }
  const name = rawName.toLowerCase();
  if (name === 'host') {
    if (host.accelerator === 'tcg') {
      return { ok: false, errors: [...errors, { ruleId: RULE.BOOT_CPU_MODEL, field: 'cpu', message: `unable to find CPU model '${rawName}'` }] };
    }
    if (errors.length > 0) {
      return { ok: false, errors };
    }
    return { ok: true, cpu: { requested: rawName, typeName: 'host', isHost: true, facts: CPU_FAMILIES[host.cpuModel], pvr: null } };
  }
  const typeName = aliasesOf(qemu)[name] ?? name;
  const model = cpuModelsOf(qemu).find((m) => m.typeName === typeName);
  if (!model) {
    const knownElsewhere = CPU_MODELS.some((m) => m.typeName === typeName) || typeName === '970fx_v3.1' || name === '970fx';
    errors.push(
      knownElsewhere
        ? { ruleId: RULE.BOOT_CPU_MODEL, field: 'cpu', message: 'Unable to find sPAPR CPU Core definition' }
        : { ruleId: RULE.BOOT_CPU_MODEL, field: 'cpu', message: `unable to find CPU model '${rawName}'` },
    );
    return { ok: false, errors };
  }
  if (host.accelerator === 'kvm-hv' && model.family !== host.cpuModel) {
    errors.push({
      ruleId: RULE.BOOT_CPU_MODEL,
      field: 'cpu',
      message: `Register sync failed... If you're using kvm-hv.ko, only "-cpu host" is possible`,
    });
  }
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  return { ok: true, cpu: { requested: rawName, typeName: model.typeName, isHost: false, facts: CPU_FAMILIES[model.family], pvr: model.pvr } };
}

/** The raw PVR family masks Linux 6.1 lists at CAS (`ibm_architecture_vec_template.pvrs`). */
export const FAMILY_RAW_PVR: Readonly<Record<CpuFamily, number>> = Object.freeze({
  '970': 0x00390000,
  'POWER5+': 0x003a0000,
  POWER7: 0x003f0000,
  POWER8: 0x004d0000,
  POWER9: 0x004e0000,
  POWER10: 0x00800000,
  POWER11: 0x00820000,
});
