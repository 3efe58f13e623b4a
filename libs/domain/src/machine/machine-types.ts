/**
 * Which `pseries-X.Y` machine types a QEMU binary defines (machine-types.md §1).
 *
 * QEMU X.Y registers one type per release from a lower bound up to X.Y (`DEFINE_SPAPR_MACHINE`,
 * hw/ppc/spapr.c), plus `pseries-2.12-sxxm` until 9.1. `pseries` is the alias of the newest
 * (`spapr_machine_latest_class_options`: `mc->alias = "pseries"`, `mc->is_default = true`).
 *
 * Deletion and deprecation (include/hw/boards.h Q10.x, `MACHINE_VER_DEPRECATION_MAJOR 3`,
 * `MACHINE_VER_DELETION_MAJOR 6`): type A.B is expired at cutoff C in release M.m when
 * M−A > C, or M−A == C and m ≥ B. Deprecation by age from 9.1 (derived: the generic macros
 * arrived then), deletion by age from 10.1 (10.0 computes it but gates it on
 * `QEMU_DELETE_MACHINES`). Removals from the source: 2.x in 9.2, 3.0–4.2 in 10.2.
 */
import { QemuVersion, compareQemuVersions, qemuVersion, releaseOf } from '@spapr/domain/caps/qemu-version';

export interface PseriesMachineType {
  /** `pseries-7.2`, `pseries-2.12-sxxm`. */
  readonly name: string;
  readonly major: number;
  readonly minor: number;
  readonly sxxm: boolean;
}

export interface MachineTypeEntry {
  readonly type: PseriesMachineType;
  /** `mc->deprecation_reason`, or null. */
  readonly deprecationReason: string | null;
}

export const AGE_DEPRECATION_REASON = 'machines more than 3 years old are subject to deletion after 6 years';
/** Commit 1392617d3576 tagged 2.1–2.11 deprecated (release believed 9.0); its reason text was not read. */
const PSERIES_2_X_DEPRECATION_REASON = 'pseries-2.1 … pseries-2.11 are deprecated (commit 1392617d3576)';

function typeOf(major: number, minor: number, sxxm = false): PseriesMachineType {
  return { name: `pseries-${major}.${minor}${sxxm ? '-sxxm' : ''}`, major, minor, sxxm };
}

/** QEMU releases up to and including `last`: 2.1…2.12, 3.0, 3.1, then X.0…X.2. */
function releasesUpTo(last: QemuVersion): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const push = (major: number, minor: number): boolean => {
    if (compareQemuVersions({ major, minor, patch: 0 }, last) > 0) {
      return false;
    }
    out.push([major, minor]);
    return true;
  };
  for (let minor = 1; minor <= 12; minor += 1) if (!push(2, minor)) return out;
  for (let minor = 0; minor <= 1; minor += 1) if (!push(3, minor)) return out;
  for (let major = 4; major <= last.major; major += 1) {
    for (let minor = 0; minor <= 2; minor += 1) if (!push(major, minor)) return out;
  }
  return out;
}

function expired(release: QemuVersion, major: number, minor: number, cutoff: number): boolean {
  const age = release.major - major;
  return age > cutoff || (age === cutoff && release.minor >= minor);
}

function atLeast(release: QemuVersion, v: string): boolean {
  return compareQemuVersions(release, qemuVersion(v)) >= 0;
}

/** The lowest type kept in the source of this release (before any age-based deletion). */
function sourceLowerBound(release: QemuVersion): [number, number] {
  if (atLeast(release, '10.2')) return [5, 0];
  if (atLeast(release, '9.2')) return [3, 0];
  return [2, 1];
}

/** Every `pseries-*` type this binary registers, oldest first, `-sxxm` after 2.12. */
export function pseriesMachineTypes(qemu: QemuVersion): MachineTypeEntry[] {
  const release = releaseOf(qemu);
  const [lowMajor, lowMinor] = sourceLowerBound(release);
  const ageDeletion = atLeast(release, '10.1');
  const ageDeprecation = atLeast(release, '9.1');
  const out: MachineTypeEntry[] = [];
  for (const [major, minor] of releasesUpTo(release)) {
    if (major < lowMajor || (major === lowMajor && minor < lowMinor)) continue;
    if (ageDeletion && expired(release, major, minor, 6)) continue;
    let deprecationReason: string | null = null;
    if (ageDeprecation && expired(release, major, minor, 3)) {
      deprecationReason = AGE_DEPRECATION_REASON;
    } else if (atLeast(release, '9.0') && major === 2 && minor <= 11) {
      deprecationReason = PSERIES_2_X_DEPRECATION_REASON;
    }
    out.push({ type: typeOf(major, minor), deprecationReason });
    if (major === 2 && minor === 12 && !atLeast(release, '9.2')) {
      out.push({ type: typeOf(2, 12, true), deprecationReason });
    }
  }
  return out;
}

/** The type `pseries` resolves to in this binary. */
export function newestPseriesType(qemu: QemuVersion): PseriesMachineType {
  const all = pseriesMachineTypes(qemu).filter((e) => !e.type.sxxm);
  const newest = all[all.length - 1];
  if (!newest) {
    throw new Error('a QEMU without pseries machine types');
  }
  return newest.type;
}

export type MachineTypeLookup =
  | { readonly kind: 'found'; readonly entry: MachineTypeEntry; readonly viaAlias: boolean }
  /** Not registered by this binary (`select_machine`: "unsupported machine type"). */
  | { readonly kind: 'unknown'; readonly name: string; readonly message: string; readonly wellFormedPseries: boolean };

/** `select_machine` / `find_machine` (softmmu/vl.c): by name or by alias. */
export function lookupMachineType(name: string, qemu: QemuVersion): MachineTypeLookup {
  if (name === 'pseries') {
    const newest = newestPseriesType(qemu);
    const entry = pseriesMachineTypes(qemu).find((e) => e.type.name === newest.name) as MachineTypeEntry;
    return { kind: 'found', entry, viaAlias: true };
  }
  const entry = pseriesMachineTypes(qemu).find((e) => e.type.name === name);
  if (entry) {
    return { kind: 'found', entry, viaAlias: false };
  }
  return { kind: 'unknown', name, message: 'unsupported machine type', wellFormedPseries: parsePseriesTypeName(name) !== null };
}

/** `pseries-A.B[-sxxm]` → its parts, whatever QEMU; null if not of that form. */
export function parsePseriesTypeName(name: string): PseriesMachineType | null {
  const m = /^pseries-(\d+)\.(\d+)(-sxxm)?$/.exec(name);
  if (!m) return null;
  return typeOf(Number(m[1]), Number(m[2]), m[3] !== undefined);
}

/** Compare machine type versions (sxxm sorts with its 2.12). */
export function compareMachineTypes(a: PseriesMachineType, b: PseriesMachineType): number {
  return a.major - b.major || a.minor - b.minor;
}

/** `true` iff type ≤ A.B, i.e. it inherits the overrides of `spapr_machine_A_B_class_options`. */
export function machineAtMost(type: PseriesMachineType, atMost: string): boolean {
  const v = qemuVersion(atMost);
  return compareMachineTypes(type, { name: '', major: v.major, minor: v.minor, sxxm: false }) <= 0;
}

/**
 * `mc->default_cpu_type` per machine type and QEMU (machine-types.md §1 table, completed by the
 * class-options chain: the 3.1 override is inherited by 2.8…3.0, the 2.7 override by older).
 * From 9.0 the newest types default to POWER10 and `spapr_machine_8_2_class_options` pins
 * power9_v2.2 for 8.2 and older; before 9.0 every type ≥ 4.0 gets power9_v2.0.
 */
export function defaultCpuType(type: PseriesMachineType, qemu: QemuVersion): string {
  const release = releaseOf(qemu);
  if (machineAtMost(type, '2.7')) return 'power7_v2.3';
  if (machineAtMost(type, '3.1')) return 'power8_v2.0';
  if (atLeast(release, '9.0')) return machineAtMost(type, '8.2') ? 'power9_v2.2' : 'power10_v2.0';
  return 'power9_v2.0';
}
