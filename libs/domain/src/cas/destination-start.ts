/**
 * Step 1 of a live migration (rules.md "Precedence"): the destination QEMU starts with the destination
 * `-machine`/`-cpu` and runs every boot-time cap check against the destination host (`MIG-DEST-CAP-APPLY`, quoting
 * the boot rule; `MIG-MACHINE-EXISTS`). Nothing of the source enters it, so every guest of one configuration meets
 * the same start on a host: it is worked out once per (destination host, configuration).
 */
import { Cause, CauseValue } from '@spapr/domain/caps/cause';
import { GuestConfigResult, resolveGuestConfig } from '@spapr/domain/caps/guest-caps';
import { GuestSpec, HostFacts, UNNAMED } from '@spapr/domain/caps/host-facts';
import { checkCapsAtStartup } from '@spapr/domain/caps/startup-checks';
import { maxCpuCompatResetError } from '@spapr/domain/machine/compat';
import { irqInitCause } from '@spapr/domain/machine/irq-backend';
import { deprecationWarning } from '@spapr/domain/machine/machine-option';
import { memoPerObject } from '@spapr/domain/object-memo';
import { RULE } from '@spapr/domain/rules/rule-ids';

export type DestinationGuest = Pick<GuestSpec, 'machine' | 'cpu' | 'smp'>;

export interface DestinationStart {
  /** The guest's configuration as the destination's QEMU resolves it. */
  readonly resolved: GuestConfigResult;
  /** What that QEMU meets starting: its refusals, and the machine type's deprecation warning. */
  readonly causes: readonly Cause[];
}

/** Re-label a boot-time cause as `MIG-DEST-CAP-APPLY`, quoting the rule it came from and the cap value it refused. */
function asDestinationApply(destination: HostFacts): (c: Cause) => Cause {
  const h = destination.hostId ?? UNNAMED;
  return (c) => {
    const cap: Record<string, CauseValue> = c.cap === null ? {} : { name: c.cap, src: c.values[`cap-${c.cap}`] ?? null };
    return { ...c, ruleId: RULE.MIG_DEST_CAP_APPLY, values: { ...c.values, h, ...cap, quotedRule: c.ruleId } };
  };
}

const startOn = (host: HostFacts, guest: DestinationGuest): DestinationStart => {
  const applyOnDestination = asDestinationApply(host);
  const resolved = resolveGuestConfig(host, guest);
  const causes: Cause[] = [];
  if (!resolved.ok) {
    for (const e of resolved.errors) {
      if (e.ruleId === RULE.MIG_MACHINE_EXISTS) {
        causes.push({ ruleId: RULE.MIG_MACHINE_EXISTS, severity: 'error', cap: null, message: e.message, hint: null, values: { machine: guest.machine }, source: 'softmmu/vl.c:select_machine' });
      } else if (e.ruleId !== null) {
        // Every refusal of the destination's options (an unknown cap such as cap-dawr1 on 9.x
        // included: BOOT-MACHINE-OPTION) means its QEMU cannot start with them.
        causes.push(applyOnDestination({ ruleId: e.ruleId, severity: 'error', cap: null, message: e.message, hint: null, values: { field: e.field, key: 'key' in e ? e.key : null }, source: 'QEMU option parsing' }));
      }
    }
    return { resolved, causes };
  }
  const dc = resolved.config;
  const deprecated = deprecationWarning(dc.machine);
  if (deprecated !== null) {
    causes.push({ ruleId: RULE.BOOT_MACHINE_DEPRECATED, severity: 'warning', cap: null, message: deprecated, hint: null, values: { machine: dc.machine.type.name }, source: 'include/hw/boards.h:MACHINE_VER_DEPRECATION' });
  }
  const irqRefusal = irqInitCause(dc.irq);
  if (irqRefusal !== null) causes.push(applyOnDestination(irqRefusal));
  const startup = checkCapsAtStartup(host, dc.qemu, { caps: dc.effectiveCaps, cpu: dc.cpu.facts, maxCpuCompat: dc.machine.maxCpuCompat, smpThreads: dc.smpThreads });
  // Errors only: a destination's startup warnings (e.g. TCG's mitigation warnings, printed on every
  // TCG start) do not affect the migration, and MIG-DEST-CAP-APPLY is an error rule.
  causes.push(...startup.filter((c) => c.severity === 'error').map(applyOnDestination));
  const compatError = maxCpuCompatResetError(dc.cpu.facts.pcrSupported, dc.machine.maxCpuCompat, dc.qemu);
  if (compatError !== null) {
    causes.push(
      applyOnDestination({
        ruleId: RULE.BOOT_COMPAT_PVR,
        severity: 'error',
        cap: null,
        message: compatError,
        hint: null,
        values: { cpu: dc.cpu.facts.family, maxCpuCompat: dc.machine.maxCpuCompat?.name ?? null },
        source: 'hw/ppc/spapr.c:spapr_machine_reset → ppc_set_compat_all',
      }),
    );
  }
  return { resolved, causes };
};

/** The destination QEMU's start for a guest configuration, once per (host facts object, `-machine`, `-cpu`, threads). */
export const destinationStart = memoPerObject(startOn, (guest: DestinationGuest) => [guest.machine, guest.cpu, guest.smp?.threads ?? 1]);
