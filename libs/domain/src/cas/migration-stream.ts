/**
 * Step 2 of a live migration (rules.md "Precedence"): the stream. The configuration section (`MIG-MACHINE-TYPE`),
 * the interrupt controller devices (`MIG-IRQ-BACKEND`: a section the destination has no device for stops the load
 * before any later section), cap subsections and `spapr_caps_post_migration` (`MIG-CAP-*`, `MIG-HPT-MAXPAGESIZE`),
 * the vCPUs (`MIG-COMPAT-PVR`, `MIG-RAW-PVR`). It reads the two resolved configurations and the guest's compat PVR
 * alone, so it is worked out once per (source configuration, destination configuration, compat PVR).
 */
import type { Cause } from '@spapr/domain/caps/cause';
import { CapMigrationResult, compareCapsForMigration, migrationEnd } from '@spapr/domain/caps/cap-migration';
import type { GuestConfig } from '@spapr/domain/caps/guest-caps';
import { compareIrqBackendsForMigration } from '@spapr/domain/machine/irq-backend';
import { compareMachineTypesForMigration, cpuPostLoad } from '@spapr/domain/machine/machine-migration';
import { memoPerObject } from '@spapr/domain/object-memo';

export interface MigrationStream {
  readonly causes: readonly Cause[];
  /** The cap comparison; null when the load stopped at the interrupt controller before the caps. */
  readonly caps: CapMigrationResult | null;
  /** The destination refuses the stream (an error among the causes). */
  readonly fails: boolean;
}

const streamOf = (sc: GuestConfig, dc: GuestConfig, compatPvr: number): MigrationStream => {
  const machineTypes = compareMachineTypesForMigration(sc.machine.type, dc.machine.type);
  const irq = compareIrqBackendsForMigration(sc.irq, dc.irq);
  if (irq.length > 0) return { causes: [...machineTypes, ...irq], caps: null, fails: true };
  const caps = compareCapsForMigration(migrationEnd(sc), migrationEnd(dc));
  const causes = [...machineTypes, ...caps.causes, ...cpuPostLoad({ compatPvr, family: sc.cpu.facts.family }, dc.cpu.facts, dc.qemu)];
  return { causes, caps, fails: causes.some((c) => c.severity === 'error') };
};

export const migrationStream = memoPerObject(streamOf, (dc: GuestConfig, compatPvr: number) => [dc, compatPvr]);
