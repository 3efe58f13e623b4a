/**
 * The machine-type and CPU checks of an incoming migration (machine-types.md §2, §4.3).
 *
 * - `configuration_post_load` (migration/savevm.c): the source sends its *resolved* machine
 *   class name; the destination compares `strncmp(received, local, received_len)`, so a received
 *   name that is a prefix of the local one passes. The configuration section exists only when
 *   `send-configuration` is on, which `hw_compat_2_3` turns off for pseries ≤ 2.3.
 * - `cpu_post_load` (target/ppc/machine.c): an incoming compat PVR must be one the destination
 *   CPU class supports (`ppc_set_compat` with min/max 0: the destination's max-cpu-compat is not
 *   consulted); in raw mode (compat 0) the PVR must match the destination class (`pvr_match`).
 */
import { Cause } from '@spapr/domain/caps/cause';
import { QemuVersion } from '@spapr/domain/caps/qemu-version';
import { RULE } from '@spapr/domain/rules/rule-ids';
import { checkCompat, compatByPvr, formatPvr } from './compat';
import { CpuClassFacts } from './cpu-models';
import { PseriesMachineType, machineAtMost } from './machine-types';

function sendsConfiguration(type: PseriesMachineType): boolean {
  return !machineAtMost(type, '2.3');
}

/** `configuration_post_load` / `qemu_loadvm_state_header`. */
export function compareMachineTypesForMigration(source: PseriesMachineType, destination: PseriesMachineType): Cause[] {
  const src = sendsConfiguration(source);
  const dst = sendsConfiguration(destination);
  const values = { source: source.name, destination: destination.name };
  if (!src && !dst) {
    return [];
  }
  if (!src && dst) {
    return [{ ruleId: RULE.MIG_CONFIG_SECTION, severity: 'error', cap: null, message: 'Configuration section missing', hint: null, values, source: 'migration/savevm.c:qemu_loadvm_state_header' }];
  }
  if (src && !dst) {
    // The destination does not expect the section and meets an unknown section type (observed with QEMU 7.2,
    // conformance M27: pseries-2.4 → pseries-2.3): the one-sided configuration section is MIG-CONFIG-SECTION.
    return [
      {
        ruleId: RULE.MIG_CONFIG_SECTION,
        severity: 'error',
        cap: null,
        message: `Unknown savevm section type 7 (destination ${destination.name} does not expect a configuration section: send-configuration off, hw_compat_2_3)`,
        hint: null,
        values,
        source: 'migration/savevm.c:qemu_loadvm_state_header',
      },
    ];
  }
  const received = source.name;
  const local = destination.name;
  const matches = local.length >= received.length && local.startsWith(received);
  if (matches) {
    return [];
  }
  return [
    {
      ruleId: RULE.MIG_MACHINE_TYPE,
      severity: 'error',
      cap: null,
      message: `Machine type received is '${received}' and local is '${local}'`,
      hint: null,
      values,
      source: 'migration/savevm.c:configuration_post_load',
    },
  ];
}

/** The family a raw PVR belongs to, as `pvr_match` groups them (approximated by family). */
export function cpuPostLoad(incoming: { compatPvr: number; family: CpuClassFacts['family'] }, destination: CpuClassFacts, destinationQemu: QemuVersion): Cause[] {
  if (incoming.compatPvr !== 0) {
    const compat = compatByPvr(incoming.compatPvr, destinationQemu);
    const message = !compat
      ? `Unknown compatibility PVR ${formatPvr(incoming.compatPvr)}`
      : !checkCompat(destination.pcrSupported, incoming.compatPvr, 0, 0, destinationQemu)
        ? `Compatibility PVR ${formatPvr(incoming.compatPvr)} not valid for CPU`
        : null;
    return message === null
      ? []
      : [
          {
            ruleId: RULE.MIG_COMPAT_PVR,
            severity: 'error',
            cap: null,
            message,
            hint: null,
            values: { compatPvr: formatPvr(incoming.compatPvr), destinationCpu: destination.family },
            source: 'target/ppc/machine.c:cpu_post_load → target/ppc/compat.c:ppc_set_compat',
          },
        ];
  }
  if (incoming.family !== destination.family) {
    return [
      {
        ruleId: RULE.MIG_RAW_PVR,
        severity: 'error',
        cap: null,
        message: "error while loading state for instance 0x0 of device 'cpu'",
        hint: null,
        values: { sourceCpu: incoming.family, destinationCpu: destination.family },
        source: 'target/ppc/machine.c:cpu_post_load (pvr_match)',
      },
    ];
  }
  return [];
}
