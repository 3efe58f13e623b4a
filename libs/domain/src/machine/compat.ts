/**
 * Logical (compat) PVRs and `max-cpu-compat`, as QEMU's target/ppc/compat.c models them.
 *
 * A compat mode is an entry of `compat_table` (ordered oldest → newest; QEMU compares modes by
 * their position in that table) with a logical PVR and the PCR level a CPU class must list in
 * its `pcr_supported` to run it. Note: power7+ uses PCR level 2.06 and power11 uses 3.10, so a
 * POWER7 class can run power7+ and a POWER10 class can run power11 (QEMU 10.x compat.c).
 */
import { boundedMemo } from '@spapr/domain/bounded-memo';
import { QemuVersion, formatQemuVersion, qemuAtLeast } from '@spapr/domain/caps/qemu-version';

/** `CPU_POWERPC_LOGICAL_*` (target/ppc/cpu-models.h). */
export const CPU_POWERPC_LOGICAL_2_05 = 0x0f000002;
export const CPU_POWERPC_LOGICAL_2_06 = 0x0f000003;
export const CPU_POWERPC_LOGICAL_2_06_PLUS = 0x0f100003;
export const CPU_POWERPC_LOGICAL_2_07 = 0x0f000004;
export const CPU_POWERPC_LOGICAL_3_00 = 0x0f000005;
export const CPU_POWERPC_LOGICAL_3_10 = 0x0f000006;
export const CPU_POWERPC_LOGICAL_3_10_P11 = 0x0f000007;

/** PCR compat levels (`PCR_COMPAT_*`, target/ppc/cpu.h). */
export type PcrLevel = '2.05' | '2.06' | '2.07' | '3.00' | '3.10';

export type CompatModeName = 'power6' | 'power7' | 'power7+' | 'power8' | 'power9' | 'power10' | 'power11';

export interface CompatMode {
  readonly name: CompatModeName;
  readonly pvr: number;
  readonly pcrLevel: PcrLevel;
  /** Position in `compat_table`: QEMU's order for min/max comparisons. */
  readonly order: number;
  /** First QEMU release whose compat_table has it. */
  readonly since: string;
}

export const COMPAT_MODES: readonly CompatMode[] = Object.freeze([
  { name: 'power6', pvr: CPU_POWERPC_LOGICAL_2_05, pcrLevel: '2.05', order: 0, since: '2.1' },
  { name: 'power7', pvr: CPU_POWERPC_LOGICAL_2_06, pcrLevel: '2.06', order: 1, since: '2.1' },
  { name: 'power7+', pvr: CPU_POWERPC_LOGICAL_2_06_PLUS, pcrLevel: '2.06', order: 2, since: '2.1' },
  { name: 'power8', pvr: CPU_POWERPC_LOGICAL_2_07, pcrLevel: '2.07', order: 3, since: '2.1' },
  { name: 'power9', pvr: CPU_POWERPC_LOGICAL_3_00, pcrLevel: '3.00', order: 4, since: '2.7' },
  { name: 'power10', pvr: CPU_POWERPC_LOGICAL_3_10, pcrLevel: '3.10', order: 5, since: '6.0' },
  // POWER11 support: read in Q10.2, absent from Q7.2; its arrival in 10.0 is derived, not verified.
  { name: 'power11', pvr: CPU_POWERPC_LOGICAL_3_10_P11, pcrLevel: '3.10', order: 6, since: '10.0' },
]);

/** The compat table of this QEMU (read on every compat check: built once per version). */
export const compatModesOf = boundedMemo((qemu: QemuVersion): readonly CompatMode[] => Object.freeze(COMPAT_MODES.filter((m) => qemuAtLeast(qemu, m.since))), formatQemuVersion);

/** `compat_by_pvr`: only the logical PVRs this QEMU's table knows. */
export function compatByPvr(pvr: number, qemu: QemuVersion): CompatMode | null {
  return compatModesOf(qemu).find((m) => m.pvr === pvr) ?? null;
}

export type MaxCpuCompatParseResult =
  | { readonly ok: true; readonly compat: CompatMode | null }
  | { readonly ok: false; readonly message: string };

/**
 * `ppc_compat_prop_set` (target/ppc/compat.c): the empty string clears the limit, anything
 * else must be a `compat_table` name compared with `strcmp`, so `POWER9` is refused.
 */
export function parseMaxCpuCompat(value: string, qemu: QemuVersion): MaxCpuCompatParseResult {
  if (value === '') {
    return { ok: true, compat: null };
  }
  const compat = compatModesOf(qemu).find((m) => m.name === value);
  if (!compat) {
    return { ok: false, message: `Invalid compatibility mode "${value}"` };
  }
  return { ok: true, compat };
}

/**
 * `pcc_compat` / `ppc_check_compat` / `ppc_type_check_compat`: true iff `compatPvr` is a known
 * logical PVR, within [min, max] by table order (`compat < min || compat > max` → false), and
 * the CPU class lists its PCR level.
 */
export function checkCompat(
  pcrSupported: readonly PcrLevel[],
  compatPvr: number,
  minCompatPvr: number,
  maxCompatPvr: number,
  qemu: QemuVersion,
): boolean {
  const compat = compatByPvr(compatPvr, qemu);
  const min = minCompatPvr ? compatByPvr(minCompatPvr, qemu) : null;
  const max = maxCompatPvr ? compatByPvr(maxCompatPvr, qemu) : null;
  if (!compat) {
    return false;
  }
  if ((min && compat.order < min.order) || (max && compat.order > max.order)) {
    return false;
  }
  return pcrSupported.includes(compat.pcrLevel);
}

export function formatPvr(pvr: number): string {
  return `0x${(pvr >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * `spapr_machine_reset` → `ppc_set_compat_all(spapr->max_compat_pvr, &error_fatal)` →
 * `ppc_set_compat` (target/ppc/compat.c): a `max-cpu-compat` the CPU class cannot run is fatal
 * at reset. Returns QEMU's message, or null when it is fine.
 */
export function maxCpuCompatResetError(pcrSupported: readonly PcrLevel[], maxCpuCompat: CompatMode | null, qemu: QemuVersion): string | null {
  if (maxCpuCompat === null) {
    return null;
  }
  return checkCompat(pcrSupported, maxCpuCompat.pvr, 0, 0, qemu) ? null : `Compatibility PVR ${formatPvr(maxCpuCompat.pvr)} not valid for CPU`;
}

/** The CPU family's own compat mode (its newest logical PVR), null for 970 / POWER5+. */
export function ownCompatMode(family: string): CompatMode | null {
  const name = family.toLowerCase();
  return COMPAT_MODES.find((m) => m.name === name) ?? null;
}
