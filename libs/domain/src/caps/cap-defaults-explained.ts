import { RULE } from '@spapr/domain/rules/rule-ids';
import { CapDefaultStep } from './cap-defaults';
import { Cause, causeOf } from './cause';
import { GuestConfig } from './guest-caps';

const listed = (steps: readonly CapDefaultStep[]): string => steps.map((s) => `${s.cap}=${s.level}`).join(', ');

/**
 * How the defaults D(cap, machine, cpu, max-cpu-compat) the guest starts from came about (rules.md DEF-CAPS-*): the
 * class defaults of this QEMU, then the machine type's overrides, then what the CPU or max-cpu-compat lowers.
 */
export function defaultCapsCauses(config: Pick<GuestConfig, 'qemu' | 'machine' | 'cpu' | 'defaults'>): Cause[] {
  const qemu = `${config.qemu.major}.${config.qemu.minor}`;
  const machine = config.machine.type.name;
  const byMachine = config.defaults.steps.filter((s) => s.ruleId === RULE.DEF_CAPS_MACHINE);
  const byCpu = config.defaults.steps.filter((s) => s.ruleId === RULE.DEF_CAPS_CPU);
  const causes = [causeOf(RULE.DEF_CAPS_CLASS, 'info', `QEMU ${qemu} class defaults for the newest pseries type`, { qemu }, 'hw/ppc/spapr.c:spapr_machine_class_init')];
  if (byMachine.length > 0) {
    causes.push(causeOf(RULE.DEF_CAPS_MACHINE, 'info', `${machine} overrides the class defaults`, { machine, caps: listed(byMachine) }, 'hw/ppc/spapr.c:spapr_machine_*_class_options'));
  }
  if (byCpu.length > 0) {
    const compat = config.machine.maxCpuCompat?.name ?? 'unset';
    causes.push(causeOf(RULE.DEF_CAPS_CPU, 'info', `cpu ${config.cpu.facts.family} (max-cpu-compat ${compat}) lowers defaults`, { cpu: config.cpu.facts.family, maxCpuCompat: compat, caps: listed(byCpu) }, 'hw/ppc/spapr_caps.c:default_caps_with_cpu'));
  }
  return causes;
}
