/**
 * The pseries interrupt controller backend (`spapr->irq`), as hw/ppc/spapr_irq.c builds it.
 *
 * - `ic-mode` (`spapr_set_ic_mode`, hw/ppc/spapr.c) picks xics, xive or dual; unset, the class
 *   default is dual from pseries-4.1 and xics for pseries ≤ 4.0 (`spapr_machine_4_0_class_options`).
 *   The value is checked by the option parser (machine-option.ts).
 * - `spapr_irq_init` refuses kernel-irqchip=split, and kernel-irqchip=on without KVM, then calls
 *   `spapr_irq_check`: when `ppc_type_check_compat(cpu, LOGICAL_3_00, 0, max_compat)` is false
 *   (a CPU or max-cpu-compat below ISA 3.00), dual silently becomes xics ("CAS negotiation is
 *   useless") and xive-only is refused ("XIVE-only machines require a POWER9 CPU").
 * - The devices follow the resulting backend: an ICS for xics and dual, a sPAPR XIVE (whose
 *   XiveSource child registers the `xive-source` vmstate) for xive and dual. A migration stream
 *   carries a section per device, so a source device the destination lacks fails the load.
 * - Under KVM the active backend is connected to an in-kernel device at reset
 *   (`spapr_irq_init_kvm`); a nested KVM-HV host has no in-kernel XIVE.
 */
import { Cause } from '@spapr/domain/caps/cause';
import { HostFacts } from '@spapr/domain/caps/host-facts';
import { QemuVersion } from '@spapr/domain/caps/qemu-version';
import { RULE } from '@spapr/domain/rules/rule-ids';
import { CPU_POWERPC_LOGICAL_3_00, CompatMode, PcrLevel, checkCompat } from './compat';
import { Accelerator } from './cpu-models';
import type { MachineOptions } from './machine-option';
import { machineAtMost } from './machine-types';

export type IcMode = 'xics' | 'xive' | 'dual';

export const IC_MODES: readonly IcMode[] = ['xics', 'xive', 'dual'];

export interface IrqBackend {
  /** `ic-mode` as given, or the machine class default. */
  readonly requested: IcMode;
  /** `spapr->irq` after `spapr_irq_check`. */
  readonly mode: IcMode;
  /** `-machine kernel-irqchip` (on / off / split), null when not given (allowed, not required). */
  readonly kernelIrqchip: string | null;
  /** `spapr_irq_init`'s refusal, null when the backend starts. */
  readonly refusal: string | null;
}

export const hasXics = (mode: IcMode): boolean => mode !== 'xive';
export const hasXive = (mode: IcMode): boolean => mode !== 'xics';

/** `spapr_irq_init` + `spapr_irq_check` for a machine, its vCPU class and the accelerator. */
export function spaprIrqInit(
  machine: Pick<MachineOptions, 'type' | 'otherProperties'> & { readonly maxCpuCompat: CompatMode | null },
  cpuPcrSupported: readonly PcrLevel[],
  accelerator: Accelerator,
  qemu: QemuVersion,
): IrqBackend {
  const icMode = machine.otherProperties['ic-mode'];
  const requested: IcMode = IC_MODES.find((m) => m === icMode) ?? (machineAtMost(machine.type, '4.0') ? 'xics' : 'dual');
  const kernelIrqchip = machine.otherProperties['kernel-irqchip'] ?? null;
  const isa300 = checkCompat(cpuPcrSupported, CPU_POWERPC_LOGICAL_3_00, 0, machine.maxCpuCompat?.pvr ?? 0, qemu);
  const mode: IcMode = !isa300 && requested === 'dual' ? 'xics' : requested;
  const refusal =
    kernelIrqchip === 'split'
      ? 'kernel_irqchip split mode not supported on pseries'
      : kernelIrqchip === 'on' && accelerator === 'tcg'
        ? 'kernel_irqchip requested but only available with KVM'
        : !isa300 && requested === 'xive'
          ? 'XIVE-only machines require a POWER9 CPU'
          : null;
  return { requested, mode, kernelIrqchip, refusal };
}

/** The machine-init refusal as a cause (BOOT-IRQ-MODE), or null. */
export function irqInitCause(irq: IrqBackend): Cause | null {
  if (irq.refusal === null) return null;
  return {
    ruleId: RULE.BOOT_IRQ_MODE,
    severity: 'error',
    cap: null,
    message: irq.refusal,
    hint: null,
    values: { icMode: irq.requested, kernelIrqchip: irq.kernelIrqchip },
    source: 'hw/ppc/spapr_irq.c:spapr_irq_init, spapr_irq_check',
  };
}

/**
 * `qemu_loadvm_section_start_full` (migration/savevm.c) meets a section whose device the
 * destination does not have. The sections come in device creation order (`spapr_irq_init`
 * creates the ICS before the XIVE, both before the vCPUs and the `spapr` state that carries the
 * caps), so this is the first stream failure. Observed on QEMU 7.2 for a missing XIVE
 * (`xive-source`); the ICS section name (`ics`, `vmstate_ics`) is derived, not observed.
 * A destination with more devices than the source loads fine (it just receives nothing for them).
 */
export function compareIrqBackendsForMigration(source: IrqBackend, destination: IrqBackend): Cause[] {
  const missing = hasXics(source.mode) && !hasXics(destination.mode) ? 'ics' : hasXive(source.mode) && !hasXive(destination.mode) ? 'xive-source' : null;
  if (missing === null) return [];
  return [
    {
      ruleId: RULE.MIG_IRQ_BACKEND,
      severity: 'error',
      cap: null,
      message: `Unknown savevm section or instance '${missing}' 0. Make sure that your current VM setup matches your saved VM setup, including any hotplugged devices`,
      hint: 'load of migration failed: Invalid argument',
      values: { source: source.mode, destination: destination.mode, section: missing, verified: missing === 'xive-source' },
      source: 'hw/ppc/spapr_irq.c:spapr_irq_check; migration/savevm.c:qemu_loadvm_section_start_full',
    },
  ];
}

/**
 * `spapr_irq_init_kvm` → `kvmppc_xive_connect` (hw/intc/spapr_xive_kvm.c) when the XIVE backend
 * becomes active: at reset for ic-mode=xive, after CAS negotiated XIVE for dual. It needs
 * `KVM_CAP_PPC_IRQ_XIVE`, which a nested KVM-HV host never has (the native XIVE device needs
 * OPAL; Linux `kvmppc_xive_native_supported`), so QEMU warns and emulates XIVE itself, or exits
 * when kernel-irqchip=on. Not attempted with kernel-irqchip=off. Level-0 hosts are assumed to
 * have the cap (the snapshot does not record it). Observed on every nested L2 under QEMU 7.2.
 */
export function nestedXiveCause(host: Pick<HostFacts, 'level' | 'accelerator'>, irq: IrqBackend, xiveNegotiated: boolean): Cause | null {
  const active = irq.mode === 'xive' || (irq.mode === 'dual' && xiveNegotiated);
  if (host.level < 1 || host.accelerator !== 'kvm-hv' || !active || irq.kernelIrqchip === 'off') return null;
  const required = irq.kernelIrqchip === 'on';
  return {
    ruleId: RULE.NEST_XIVE_EMULATED,
    severity: required ? 'error' : 'warning',
    cap: null,
    message: `kernel_irqchip ${required ? 'requested' : 'allowed'} but unavailable: IRQ_XIVE capability must be present for KVM`,
    hint: required ? null : 'Falling back to kernel-irqchip=off',
    values: { level: host.level, icMode: irq.mode, xiveNegotiated, kernelIrqchip: irq.kernelIrqchip },
    source: 'hw/intc/spapr_xive_kvm.c:kvmppc_xive_connect; hw/ppc/spapr_irq.c:spapr_irq_init_kvm',
  };
}
