/**
 * The spapr capability table: every `cap-*` property of QEMU's pseries machine
 * (hw/ppc/spapr_caps.c `capability_table[]`, include/hw/ppc/spapr.h), per QEMU version.
 *
 * Caps are applied and compared in *index* order (`SPAPR_CAP_*`), not in the order of the
 * property list. Stored levels are small integers compared as plain integers everywhere
 * (spapr-caps.md §1.1): bool 0/1, tristate 0/1/2, ibs 0..4 (the index of the string), and
 * hpt-max-page-size as the log2 of the size.
 */
import { boundedMemo } from '../bounded-memo';
import { QemuVersion, formatQemuVersion, qemuAtLeast } from './qemu-version';

export type SpaprCapName =
  | 'htm'
  | 'vsx'
  | 'dfp'
  | 'cfpc'
  | 'sbbc'
  | 'ibs'
  | 'hpt-max-page-size'
  | 'nested-hv'
  | 'large-decr'
  | 'ccf-assist'
  | 'fwnmi'
  | 'rpt-invalidate'
  | 'ail-mode-3'
  | 'nested-papr'
  | 'dawr1';

export type SpaprCapKind = 'bool' | 'tristate' | 'ibs' | 'pagesize';

/** include/hw/ppc/spapr.h level values. */
export const SPAPR_CAP_OFF = 0x00;
export const SPAPR_CAP_ON = 0x01;
export const SPAPR_CAP_BROKEN = 0x00;
export const SPAPR_CAP_WORKAROUND = 0x01;
export const SPAPR_CAP_FIXED = 0x02;
export const SPAPR_CAP_FIXED_IBS = 0x02;
export const SPAPR_CAP_FIXED_CCD = 0x03;
/** What the KVM query (`parse_cap_ppc_safe_indirect_branch`) reports for a fixed-na host. */
export const SPAPR_CAP_FIXED_NA = 0x10;
/** What `cap-ibs=fixed-na` stores: the string's index in `cap_ibs_possible.vals`. */
export const SPAPR_CAP_FIXED_NA_CMDLINE = 0x04;

export const BOOL_LEVELS = ['off', 'on'] as const;
/** `cap_cfpc_possible` / `cap_sbbc_possible`. */
export const TRISTATE_LEVELS = ['broken', 'workaround', 'fixed'] as const;
/** `cap_ibs_possible`: the index is the stored value ("workaround only maintained for compatibility"). */
export const IBS_LEVELS = ['broken', 'workaround', 'fixed-ibs', 'fixed-ccd', 'fixed-na'] as const;

export interface SpaprCapInfo {
  /** `SPAPR_CAP_*` index: the apply and comparison order. */
  readonly index: number;
  readonly macro: string;
  /** Bare name as QEMU's messages print it (`cap-%s`). */
  readonly name: SpaprCapName;
  readonly property: `cap-${SpaprCapName}`;
  readonly kind: SpaprCapKind;
  /** Level names by stored value (empty for pagesize, whose value is a shift). */
  readonly levels: readonly string[];
  readonly description: string;
  /** First QEMU release with the property. */
  readonly introducedIn: string;
  /** Whether `introducedIn` was read in a tree / commit mail, or believed. */
  readonly introducedVerified: boolean;
  /** `spapr/cap/<sname>` vmstate subsection, and the first QEMU release that has it. */
  readonly subsection: { readonly name: string; readonly since: string };
}

function cap(
  index: number,
  macro: string,
  name: SpaprCapName,
  kind: SpaprCapKind,
  description: string,
  introducedIn: string,
  introducedVerified: boolean,
  sname: string,
  subsectionSince: string = introducedIn,
): SpaprCapInfo {
  const levels = kind === 'bool' ? BOOL_LEVELS : kind === 'tristate' ? TRISTATE_LEVELS : kind === 'ibs' ? IBS_LEVELS : [];
  return Object.freeze({
    index,
    macro,
    name,
    property: `cap-${name}` as const,
    kind,
    levels,
    description,
    introducedIn,
    introducedVerified,
    subsection: Object.freeze({ name: `spapr/cap/${sname}`, since: subsectionSince }),
  });
}

/*
 * Introduction releases: 6.1 / 8.1 / 9.0 / 10.0 come from dated commits (spapr-caps.md §3);
 * the older ones are believed (the caps framework arrived for the pseries-2.12 machine, nested-hv
 * with QEMU 3.1, large-decr and ccf-assist with 4.0, fwnmi with 5.0), never read in a tree.
 * ail-mode-3 had no vmstate subsection until 9.1 (commit 1a7a31aec475).
 */
export const SPAPR_CAPS: readonly SpaprCapInfo[] = Object.freeze([
  cap(0x00, 'SPAPR_CAP_HTM', 'htm', 'bool', 'Allow Hardware Transactional Memory (HTM)', '2.12', false, 'htm'),
  cap(0x01, 'SPAPR_CAP_VSX', 'vsx', 'bool', 'Allow Vector Scalar Extensions (VSX)', '2.12', false, 'vsx'),
  cap(0x02, 'SPAPR_CAP_DFP', 'dfp', 'bool', 'Allow Decimal Floating Point (DFP)', '2.12', false, 'dfp'),
  cap(0x03, 'SPAPR_CAP_CFPC', 'cfpc', 'tristate', 'Cache Flush on Privilege Change', '2.12', false, 'cfpc'),
  cap(0x04, 'SPAPR_CAP_SBBC', 'sbbc', 'tristate', 'Speculation Barrier Bounds Checking', '2.12', false, 'sbbc'),
  cap(0x05, 'SPAPR_CAP_IBS', 'ibs', 'ibs', 'Indirect Branch Speculation', '2.12', false, 'ibs'),
  cap(0x06, 'SPAPR_CAP_HPT_MAXPAGESIZE', 'hpt-max-page-size', 'pagesize', 'Maximum page size for Hash Page Table guests', '2.12', false, 'hpt_maxpagesize'),
  cap(0x07, 'SPAPR_CAP_NESTED_KVM_HV', 'nested-hv', 'bool', 'Allow Nested KVM-HV', '3.1', false, 'nested_kvm_hv'),
  cap(0x08, 'SPAPR_CAP_LARGE_DECREMENTER', 'large-decr', 'bool', 'Allow Large Decrementer', '4.0', false, 'large_decr'),
  cap(0x09, 'SPAPR_CAP_CCF_ASSIST', 'ccf-assist', 'bool', 'Count Cache Flush Assist via HW Instruction', '4.0', false, 'ccf_assist'),
  cap(0x0a, 'SPAPR_CAP_FWNMI', 'fwnmi', 'bool', 'Implements PAPR FWNMI option', '5.0', false, 'fwnmi'),
  cap(0x0b, 'SPAPR_CAP_RPT_INVALIDATE', 'rpt-invalidate', 'bool', 'Allow H_RPT_INVALIDATE', '6.1', true, 'rpt_invalidate'),
  cap(0x0c, 'SPAPR_CAP_AIL_MODE_3', 'ail-mode-3', 'bool', 'Alternate interrupt location (AIL) mode 3 support', '8.1', true, 'ail_mode_3', '9.1'),
  cap(0x0d, 'SPAPR_CAP_NESTED_PAPR', 'nested-papr', 'bool', 'Allow Nested HV (PAPR API)', '9.0', true, 'nested_papr'),
  cap(0x0e, 'SPAPR_CAP_DAWR1', 'dawr1', 'bool', 'Allow 2nd Data Address Watchpoint Register (DAWR1)', '10.0', true, 'dawr1'),
]);

export const SPAPR_CAP_NAMES: readonly SpaprCapName[] = Object.freeze(SPAPR_CAPS.map((c) => c.name));

export function capInfo(name: SpaprCapName): SpaprCapInfo {
  const info = SPAPR_CAPS.find((c) => c.name === name);
  if (!info) {
    throw new Error(`unknown spapr cap ${name}`);
  }
  return info;
}

export function isSpaprCapName(value: string): value is SpaprCapName {
  return (SPAPR_CAP_NAMES as readonly string[]).includes(value);
}

/** The caps this QEMU has (`SPAPR_CAP_NUM` of that release), in index order (built once per version). */
export const capsOf = boundedMemo((qemu: QemuVersion): readonly SpaprCapInfo[] => Object.freeze(SPAPR_CAPS.filter((c) => qemuAtLeast(qemu, c.introducedIn))), formatQemuVersion);

/** Whether a destination of this version knows the cap's vmstate subsection. */
export function hasSubsection(cap: SpaprCapInfo, qemu: QemuVersion): boolean {
  return qemuAtLeast(qemu, cap.subsection.since);
}

/**
 * Stored cap levels, keyed by cap name. A cap absent from the record does not exist in that
 * QEMU. Plain JSON, so it can travel in events (SPEC §3).
 */
export type SpaprCapLevels = Readonly<Partial<Record<SpaprCapName, number>>>;

/** The level's name, as QEMU's string getter prints it (`on`/`off`, `workaround`, `16M`…). */
export function levelName(cap: SpaprCapInfo, level: number): string {
  if (cap.kind === 'pagesize') {
    return formatPageSize(level);
  }
  if (cap.kind === 'ibs' && level === SPAPR_CAP_FIXED_NA) {
    return 'fixed-na';
  }
  return cap.levels[level] ?? `${level}`;
}

/** A page-size shift as a size string: 16 → 64K, 24 → 16M, 34 → 16G. */
export function formatPageSize(shift: number): string {
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E'];
  let unit = Math.min(Math.floor(shift / 10), units.length - 1);
  while (unit > 0 && shift - unit * 10 < 0) {
    unit -= 1;
  }
  return `${2 ** (shift - unit * 10)}${units[unit]}`;
}
