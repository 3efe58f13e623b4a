/**
 * The `-machine` option string, parsed as QEMU parses it (SPEC §2.2 `machine`).
 *
 * Syntax: softmmu/vl.c `case QEMU_OPTION_machine` → `keyval_parse_into(machine_opts_dict,
 * optarg, "type", …)` (util/keyval.c):
 * - comma-separated `key=value`; `,,` inside a value is a literal comma; a trailing comma is
 *   ignored; an empty element is "Invalid parameter ''";
 * - only the *first* element may omit `key=`: it is then the implied key `type`;
 *   anywhere else "Expected '=' after parameter '%s'" (keyval has no `key` = on sugar);
 * - keys are QAPI names (`parse_qapi_name`: a letter, then letters, digits, `-`, `_`),
 *   else "Invalid parameter '%s'";
 * - a repeated key keeps the last value (`keyval_parse_put` overwrites).
 * Then `type` selects the machine (bare `pseries`, or no type at all, is the newest type: it
 * is the alias and `qemu-system-ppc64`'s default machine) and every other key is set as a QOM
 * property of `pseries-X.Y-machine` (`object_set_properties_from_keyval`); an unknown one is
 * "Property '%s.%s' not found".
 *
 * QEMU stops at the first error (`&error_fatal`); we report all of them.
 */
import { parseCapValue } from '@spapr/domain/caps/cap-value';
import { QemuVersion, qemuAtLeast } from '@spapr/domain/caps/qemu-version';
import { SpaprCapLevels, SpaprCapName, capsOf, isSpaprCapName, capInfo } from '@spapr/domain/caps/spapr-caps';
import { RULE, RuleId } from '@spapr/domain/rules/rule-ids';
import { CompatMode, parseMaxCpuCompat } from './compat';
import { IC_MODES } from './irq-backend';
import { PseriesMachineType, lookupMachineType, machineAtMost } from './machine-types';

export interface MachineOptions {
  /** The `type` as written (`pseries`, `pseries-7.2`), or null when the string gave none. */
  readonly requestedType: string | null;
  /** Resolved: what QEMU records and sends in migration (`pseries` → `pseries-7.2`). */
  readonly type: PseriesMachineType;
  /** `mc->deprecation_reason` of the resolved type (QEMU warns "Machine type '%s' is deprecated: %s"). */
  readonly deprecationReason: string | null;
  /** Caps given on the command line (`cmd_line_caps[i]`) with their stored level. */
  readonly caps: SpaprCapLevels;
  /** `max-cpu-compat`, null when unset (or set to ""). */
  readonly maxCpuCompat: CompatMode | null;
  /** Other known machine properties, uninterpreted. */
  readonly otherProperties: Readonly<Record<string, string>>;
}

export interface MachineOptionError {
  readonly field: 'machine';
  /** The offending key (`type` for the machine type), null for a syntax error. */
  readonly key: string | null;
  /** The rule that owns this refusal: a specific one where rules.md names it, else BOOT-MACHINE-OPTION. */
  readonly ruleId: RuleId;
  /** QEMU's message. */
  readonly message: string;
}

export type MachineOptionParseResult =
  | { readonly ok: true; readonly options: MachineOptions }
  | { readonly ok: false; readonly errors: readonly MachineOptionError[] };

/**
 * Non-cap properties of the pseries machine (hw/ppc/spapr.c `spapr_instance_init` /
 * `spapr_machine_class_init`, Q7.2) and of every machine (hw/core/machine.c), plus the keys
 * vl.c consumes itself (`accel` and the legacy accelerator keys). Not exhaustive; anything
 * else is refused as QEMU would refuse an unknown property.
 */
const PSERIES_PROPERTIES: readonly string[] = [
  'kvm-type',
  'modern-hotplug-events',
  'resize-hpt',
  'vsmt',
  'host-model',
  'host-serial',
  'x-vof',
  'rtas-stopped-state',
];
const GENERIC_PROPERTIES: readonly string[] = [
  'accel',
  'kernel-irqchip',
  'kvm-shadow-mem',
  'kernel',
  'initrd',
  'append',
  'dtb',
  'dumpdtb',
  'phandle-start',
  'dt-compatible',
  'dump-guest-core',
  'mem-merge',
  'usb',
  'graphics',
  'firmware',
  'suppress-vmdesc',
  'memory-encryption',
  'memory-backend',
  'confidential-guest-support',
];

/** One `key=value` of the keyval string, in order. */
export interface KeyvalPair {
  readonly key: string;
  readonly value: string;
}

export type KeyvalParseResult = { readonly ok: true; readonly pairs: readonly KeyvalPair[] } | { readonly ok: false; readonly message: string };

/** `parse_qapi_name` per fragment; dotted keys address compound properties (`smp.cpus`). */
const QAPI_NAME = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)*$/;
/** Compound machine properties whose dotted members we accept without interpreting. */
const COMPOUND_PROPERTIES: readonly string[] = ['smp', 'memory', 'boot'];

/** util/keyval.c `keyval_parse` for a flat (undotted) option string with an implied key. */
export function parseKeyval(text: string, impliedKey: string | null): KeyvalParseResult {
  const pairs: KeyvalPair[] = [];
  let i = 0;
  let first = true;
  while (i < text.length) {
    // Key: up to '=' or ','.
    let j = i;
    while (j < text.length && text[j] !== '=' && text[j] !== ',') j += 1;
    const key = text.slice(i, j);
    if (j >= text.length || text[j] === ',') {
      if (key === '') {
        return { ok: false, message: text[j] === ',' ? "Invalid parameter ''" : "Expected parameter before '='" };
      }
      if (first && impliedKey !== null) {
        // Desugar the implied key: the element is a value, with ',,' escapes.
        const { value, next } = readValue(text, i);
        pairs.push({ key: impliedKey, value });
        i = next;
        first = false;
        continue;
      }
      return { ok: false, message: `Expected '=' after parameter '${key}'` };
    }
    if (key === '') {
      return { ok: false, message: "Expected parameter before '='" };
    }
    if (!QAPI_NAME.test(key)) {
      return { ok: false, message: `Invalid parameter '${key}'` };
    }
    const { value, next } = readValue(text, j + 1);
    pairs.push({ key, value });
    i = next;
    first = false;
  }
  return { ok: true, pairs };
}

/** A value runs to the next single ','; ',,' is a literal comma. Returns the index after the separator. */
function readValue(text: string, start: number): { value: string; next: number } {
  let value = '';
  let k = start;
  while (k < text.length) {
    if (text[k] === ',') {
      if (text[k + 1] === ',') {
        value += ',';
        k += 2;
        continue;
      }
      return { value, next: k + 1 };
    }
    value += text[k];
    k += 1;
  }
  return { value, next: k };
}

/** Parse a `-machine` string for a QEMU of version `qemu`. */
export function parseMachineOption(text: string, qemu: QemuVersion): MachineOptionParseResult {
  const syntax = parseKeyval(text, 'type');
  if (!syntax.ok) {
    return { ok: false, errors: [{ field: 'machine', key: null, ruleId: RULE.BOOT_MACHINE_OPTION, message: syntax.message }] };
  }
  // Last value wins, first position kept (keyval_parse_put overwrites in place).
  const dict = new Map<string, string>();
  for (const { key, value } of syntax.pairs) dict.set(key, value);

  const errors: MachineOptionError[] = [];
  const requestedType = dict.get('type') ?? null;
  const lookup = lookupMachineType(requestedType ?? 'pseries', qemu);
  if (lookup.kind === 'unknown') {
    errors.push({
      field: 'machine',
      key: 'type',
      // A real pseries type this binary lacks is the machine-existence rule; anything else is
      // not a pseries machine at all (powernv, …), outside what this planner models.
      ruleId: lookup.wellFormedPseries ? RULE.MIG_MACHINE_EXISTS : RULE.BOOT_MACHINE_OPTION,
      message: lookup.wellFormedPseries ? lookup.message : `${lookup.message} (only pseries machines are modelled)`,
    });
    return { ok: false, errors };
  }
  const type = lookup.entry.type;
  const typeName = `${type.name}-machine`;
  const knownCaps = capsOf(qemu);

  const caps: Partial<Record<SpaprCapName, number>> = {};
  let maxCpuCompat: CompatMode | null = null;
  const otherProperties: Record<string, string> = {};
  for (const [key, value] of dict) {
    if (key === 'type') continue;
    const capName = key.startsWith('cap-') ? key.slice(4) : null;
    if (capName !== null && isSpaprCapName(capName)) {
      const info = capInfo(capName);
      if (!knownCaps.includes(info)) {
        errors.push({ field: 'machine', key, ruleId: unknownCapRule(capName), message: `Property '${typeName}.${key}' not found` });
        continue;
      }
      const parsed = parseCapValue(info, value);
      if (parsed.ok) {
        caps[capName] = parsed.level;
      } else {
        errors.push({ field: 'machine', key, ruleId: parsed.ruleId, message: parsed.message });
      }
      continue;
    }
    if (key === 'max-cpu-compat') {
      const parsed = parseMaxCpuCompat(value, qemu);
      if (parsed.ok) {
        maxCpuCompat = parsed.compat;
      } else {
        errors.push({ field: 'machine', key, ruleId: RULE.CAP_VALUE_PARSE, message: parsed.message });
      }
      continue;
    }
    if (key === 'ic-mode') {
      // spapr_set_ic_mode (hw/ppc/spapr.c): strcmp against the three backends; types with
      // legacy_irq_allocation (pseries ≤ 3.0) refuse the property whatever its value.
      const refusal = machineAtMost(type, '3.0')
        ? "This machine only uses the legacy XICS backend, don't pass ic-mode"
        : IC_MODES.some((m) => m === value)
          ? null
          : 'Bad value for "ic-mode" property';
      if (refusal === null) {
        otherProperties[key] = value;
      } else {
        errors.push({ field: 'machine', key, ruleId: RULE.BOOT_MACHINE_OPTION, message: refusal });
      }
      continue;
    }
    if (PSERIES_PROPERTIES.includes(key) || GENERIC_PROPERTIES.includes(key) || COMPOUND_PROPERTIES.includes(key.split('.')[0] ?? '')) {
      if (key === 'x-vof' && !qemuAtLeast(qemu, '6.1')) {
        errors.push({ field: 'machine', key, ruleId: RULE.BOOT_MACHINE_OPTION, message: `Property '${typeName}.${key}' not found` });
      } else {
        otherProperties[key] = value;
      }
      continue;
    }
    errors.push({ field: 'machine', key, ruleId: RULE.BOOT_MACHINE_OPTION, message: `Property '${typeName}.${key}' not found` });
  }
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    options: { requestedType, type, deprecationReason: lookup.entry.deprecationReason, caps, maxCpuCompat, otherProperties },
  };
}

/** Unknown cap properties that rules.md names: rpt-invalidate before 6.1, nested-papr before 9.0. */
function unknownCapRule(cap: SpaprCapName): RuleId {
  switch (cap) {
    case 'rpt-invalidate':
      return RULE.BOOT_RPTI_QEMU_OLD;
    case 'nested-papr':
      return RULE.NEST_TCG_UNSUPPORTED;
    default:
      return RULE.BOOT_MACHINE_OPTION;
  }
}

/** The deprecation warning vl.c prints for a deprecated type. */
export function deprecationWarning(options: MachineOptions): string | null {
  return options.deprecationReason === null ? null : `Machine type '${options.type.name}' is deprecated: ${options.deprecationReason}`;
}
