import { boundedMemo } from '../bounded-memo';

/**
 * QEMU release numbers, `major.minor[.patch]` (SPEC §2.1 `qemu.version`).
 *
 * QEMU's own convention (include/hw/boards.h, `MACHINE_VER_*`): a micro version ≥ 50 is a
 * development snapshot of the *next* release (9.2.50 is on its way to 10.0), so it already
 * carries that release's machine types and behaviour. `releaseOf` applies that rule.
 */
export interface QemuVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export type QemuVersionParseResult =
  | { readonly ok: true; readonly version: QemuVersion }
  | { readonly ok: false; readonly reason: string };

const VERSION_RE = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})(?:\.(0|[1-9]\d{0,2}))?$/;

/** A fleet names a handful of versions: each text is parsed once (the answer is frozen, so it can be shared). */
export const parseQemuVersion = boundedMemo((text: string): QemuVersionParseResult => {
  const m = VERSION_RE.exec(text);
  if (!m) {
    return Object.freeze({ ok: false, reason: `"${text}" is not major.minor[.patch]` });
  }
  return Object.freeze({ ok: true, version: Object.freeze({ major: Number(m[1]), minor: Number(m[2]), patch: m[3] === undefined ? 0 : Number(m[3]) }) });
}, String);

/** For constants written in code: throws on a malformed literal (a bug, not input). */
export function qemuVersion(text: string): QemuVersion {
  const parsed = parseQemuVersion(text);
  if (!parsed.ok) {
    throw new Error(`invalid QEMU version literal: ${parsed.reason}`);
  }
  return parsed.version;
}

export function compareQemuVersions(a: QemuVersion, b: QemuVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/**
 * The release whose behaviour a binary has: itself, or for a development snapshot
 * (micro ≥ 50) the next release. QEMU has three minor releases per major since 4.0
 * (X.0, X.1, X.2), so 9.2.50 → 10.0 and 10.0.50 → 10.1.
 */
export function releaseOf(v: QemuVersion): QemuVersion {
  if (v.patch < 50) {
    return { major: v.major, minor: v.minor, patch: 0 };
  }
  const lastMinor = v.major >= 4 ? 2 : v.major === 3 ? 1 : 12;
  return v.minor >= lastMinor ? { major: v.major + 1, minor: 0, patch: 0 } : { major: v.major, minor: v.minor + 1, patch: 0 };
}

/** `true` iff the binary behaves at least like release `atLeast` ("8.1", "6.1"…). */
export function qemuAtLeast(v: QemuVersion, atLeast: string): boolean {
  return compareQemuVersions(releaseOf(v), qemuVersion(atLeast)) >= 0;
}

export function formatQemuVersion(v: QemuVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}
