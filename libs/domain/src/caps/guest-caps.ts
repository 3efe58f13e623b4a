/**
 * A guest configuration resolved on one host's QEMU, the way QEMU builds its machine state:
 * `-machine` parsed for that binary (bare `pseries` → its newest type), `-cpu` resolved to a CPU
 * class, the interrupt backend (`spapr_irq_init`), then `spapr_caps_init()`: `def` = `default_caps_with_cpu()` and `eff` = `def` with the
 * command-line caps laid over it (spapr-caps.md §1.2).
 */
import { CpuResolutionError, ResolvedCpu, resolveCpuModel } from '@spapr/domain/machine/cpu-models';
import { boundedMemo } from '@spapr/domain/bounded-memo';
import { IrqBackend, spaprIrqInit } from '@spapr/domain/machine/irq-backend';
import { MachineOptionError, MachineOptions, parseMachineOption } from '@spapr/domain/machine/machine-option';
import { CapDefaults, defaultCapsWithCpu, effectiveCaps } from './cap-defaults';
import { GuestSpec, HostFacts, ramPageSizeKiB } from './host-facts';
import { QemuVersion, parseQemuVersion } from './qemu-version';
import { SpaprCapLevels } from './spapr-caps';

export interface GuestConfig {
  readonly qemu: QemuVersion;
  readonly machine: MachineOptions;
  readonly cpu: ResolvedCpu;
  readonly smpThreads: number;
  /** `spapr->irq` after `spapr_irq_check`, with its refusal if machine init fails there. */
  readonly irq: IrqBackend;
  /** `spapr->def`, with how each default came about. */
  readonly defaults: CapDefaults;
  /** `cmd_line_caps` with their values (= `machine.caps`). */
  readonly commandLineCaps: SpaprCapLevels;
  /** `spapr->eff`. */
  readonly effectiveCaps: SpaprCapLevels;
}

export type GuestConfigError =
  | MachineOptionError
  | CpuResolutionError
  | { readonly field: 'qemu.version'; readonly key: null; readonly ruleId: null; readonly message: string };

export type GuestConfigResult = { readonly ok: true; readonly config: GuestConfig } | { readonly ok: false; readonly errors: readonly GuestConfigError[] };

/** What of a host the resolution reads: its QEMU, accelerator, CPU and RAM page size. */
export const hostResolutionKey = (host: HostFacts): string => [host.qemu.version, host.accelerator, host.cpu.model, ramPageSizeKiB(host)].join('\u0000');

const resolutionKey = (host: HostFacts, guest: Pick<GuestSpec, 'machine' | 'cpu' | 'smp'>): string =>
  [hostResolutionKey(host), guest.machine, guest.cpu, guest.smp?.threads ?? 1].join('\u0000');

/**
 * Every check resolves its configuration on its host first; a fleet has few (QEMU, CPU, configuration) triples,
 * so each is resolved once. The answer is shared: its readers never change it.
 */
export const resolveGuestConfig = boundedMemo((host: HostFacts, guest: Pick<GuestSpec, 'machine' | 'cpu' | 'smp'>): GuestConfigResult => {
  const version = parseQemuVersion(host.qemu.version);
  if (!version.ok) {
    return { ok: false, errors: [{ field: 'qemu.version', key: null, ruleId: null, message: version.reason }] };
  }
  const qemu = version.version;
  const machine = parseMachineOption(guest.machine, qemu);
  const cpu = resolveCpuModel(guest.cpu, qemu, { accelerator: host.accelerator, cpuModel: host.cpu.model });
  const errors: GuestConfigError[] = [...(machine.ok ? [] : machine.errors), ...(cpu.ok ? [] : cpu.errors)];
  if (!machine.ok || !cpu.ok) {
    return { ok: false, errors };
  }
  const defaults = defaultCapsWithCpu({
    qemu,
    machine: machine.options.type,
    cpuPcrSupported: cpu.cpu.facts.pcrSupported,
    maxCpuCompat: machine.options.maxCpuCompat,
    accelerator: host.accelerator,
    ramPageSizeKiB: ramPageSizeKiB(host),
  });
  return {
    ok: true,
    config: {
      qemu,
      machine: machine.options,
      cpu: cpu.cpu,
      smpThreads: guest.smp?.threads ?? 1,
      irq: spaprIrqInit(machine.options, cpu.cpu.facts.pcrSupported, host.accelerator, qemu),
      defaults,
      commandLineCaps: machine.options.caps,
      // Frozen: every migration to this class records these caps, and the store then serialises them once.
      effectiveCaps: Object.freeze(effectiveCaps(defaults.caps, machine.options.caps)),
    },
  };
}, resolutionKey);
