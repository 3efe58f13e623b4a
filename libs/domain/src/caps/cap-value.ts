/**
 * Parsing a `cap-*=value` machine option into the stored level (rules.md `CAP-VALUE-PARSE`).
 *
 * - bool caps: `spapr_cap_set_bool` → `visit_type_bool` through the keyval input visitor, i.e.
 *   `qapi_bool_parse` (qapi/qapi-util.c): exactly `on|yes|true|y` / `off|no|false|n`,
 *   case-sensitive; otherwise `Parameter '%s' expects 'on' or 'off'`.
 * - tristate / ibs: `spapr_cap_set_string` matches with `strcasecmp` and stores the *index*
 *   (so `fixed-na` is 4, not 0x10); `?` returns the help text as an error; otherwise
 *   `Invalid capability mode "%s" for cap-%s`.
 * - pagesize: `spapr_cap_set_pagesize` → `visit_type_size` (`qemu_strtosz`: bytes by default,
 *   suffixes B/K/M/G/T/P/E, case-insensitive), then `is_power_of_2` → else
 *   `cap-%s must be a power of 2`; stores `ctz64(size)`.
 */
import { RULE, RuleId } from '@spapr/domain/rules/rule-ids';
import { SpaprCapInfo } from './spapr-caps';

export type CapValueParseResult =
  | { readonly ok: true; readonly level: number }
  | { readonly ok: false; readonly ruleId: RuleId; readonly message: string };

const TRUE_WORDS = ['on', 'yes', 'true', 'y'];
const FALSE_WORDS = ['off', 'no', 'false', 'n'];

/** `cap_cfpc_possible.help` etc. (what `cap-cfpc=?` prints). */
const HELP: Readonly<Record<string, string>> = {
  tristate: 'broken - no protection, workaround - workaround available, fixed - fixed in hardware',
  ibs:
    'broken - no protection, workaround - count cache flush, fixed-ibs - indirect branch serialisation,' +
    ' fixed-ccd - cache count disabled, fixed-na - fixed in hardware (no longer applicable)',
};

export function parseCapValue(cap: SpaprCapInfo, value: string): CapValueParseResult {
  const fail = (message: string): CapValueParseResult => ({ ok: false, ruleId: RULE.CAP_VALUE_PARSE, message });
  switch (cap.kind) {
    case 'bool':
      if (TRUE_WORDS.includes(value)) return { ok: true, level: 1 };
      if (FALSE_WORDS.includes(value)) return { ok: true, level: 0 };
      return fail(`Parameter '${cap.property}' expects 'on' or 'off'`);
    case 'tristate':
    case 'ibs': {
      if (value === '?') {
        return fail(HELP[cap.kind] as string);
      }
      const index = cap.levels.findIndex((l) => l.toLowerCase() === value.toLowerCase());
      if (index < 0) {
        return fail(`Invalid capability mode "${value}" for cap-${cap.name}`);
      }
      return { ok: true, level: index };
    }
    case 'pagesize': {
      const size = parseSize(value);
      if (size === null) {
        return fail(`Parameter '${cap.property}' expects size`);
      }
      if (size === 0n || (size & (size - 1n)) !== 0n) {
        return fail(`cap-${cap.name} must be a power of 2`);
      }
      return { ok: true, level: size.toString(2).length - 1 };
    }
    default: {
      const unreachable: never = cap.kind;
      return unreachable;
    }
  }
}

const SUFFIX_SHIFT: Readonly<Record<string, bigint>> = { b: 0n, k: 10n, m: 20n, g: 30n, t: 40n, p: 50n, e: 60n };

/**
 * `qemu_strtosz` (util/cutils.c), for what a page size can be: a decimal or `0x` hex integer,
 * or a decimal with a fraction and a unit suffix, with an optional B/K/M/G/T/P/E suffix. Returns
 * bytes, or null when QEMU would refuse it (negative, junk, ≥ 2^64).
 */
export function parseSize(text: string): bigint | null {
  const hex = /^0x([0-9a-fA-F]+)$/.exec(text);
  if (hex) {
    const v = BigInt(`0x${hex[1]}`);
    return v < 2n ** 64n ? v : null;
  }
  const m = /^(\d+)(?:\.(\d+))?([bkmgtpeBKMGTPE])?$/.exec(text);
  if (!m) {
    return null;
  }
  const shift = SUFFIX_SHIFT[(m[3] ?? 'b').toLowerCase()] as bigint;
  const whole = BigInt(m[1] as string) << shift;
  let frac = 0n;
  if (m[2] !== undefined) {
    if (shift === 0n) {
      return null; // a fraction of a byte
    }
    const digits = m[2];
    frac = (BigInt(digits) << shift) / 10n ** BigInt(digits.length);
  }
  const v = whole + frac;
  return v < 2n ** 64n ? v : null;
}
