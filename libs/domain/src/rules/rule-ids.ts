/**
 * Every rule ID of `shared/domain/rules.md`, defined once (STYLE §3 "Rule IDs defined once").
 *
 * This file only names the IDs; the catalogue (operations, severity, message template, source)
 * is built on top of it in `rules/catalogue.ts`. Code refers to an ID through `RULE.X_Y` so a
 * rename breaks compilation; contract tests spell the literal string so a rename fails a test.
 * IDs are part of the product contract: add freely, never rename or reuse.
 */
export const RULE_IDS = [
  // A. spapr caps, machine types, CPU compat (rules.md §A)
  'DEF-CAPS-CLASS',
  'DEF-CAPS-MACHINE',
  'DEF-CAPS-CPU',
  'CAP-VALUE-PARSE',
  'BOOT-CAP-UNSUPPORTED-TCG',
  'BOOT-TCG-THREADS',
  'BOOT-CAP-TCG-WARN',
  'BOOT-CAP-CPU-FEATURE',
  'BOOT-CAP-UNSUPPORTED-KVM',
  'BOOT-CAP-SPECTRE-KVM',
  'BOOT-CCF-ASSIST-KVM',
  'MIG-CCF-ASSIST-EXCEPTION',
  'BOOT-HPT-PAGESIZE',
  'BOOT-LARGE-DECR-WIDTH',
  'NEST-PAPR-KVM',
  'MIG-CAP-SEND',
  'MIG-CAP-SRC-RECON',
  'MIG-CAP-HIGHER',
  'MIG-CAP-LOWER',
  'MIG-LARGE-DECR',
  'MIG-HPT-MAXPAGESIZE',
  'MIG-CAP-UNKNOWN-SUBSECTION',
  'MIG-MACHINE-TYPE',
  'MIG-CONFIG-SECTION',
  'MIG-MACHINE-EXISTS',
  'BOOT-MACHINE-DEPRECATED',
  'MIG-COMPAT-PVR',
  'MIG-RAW-PVR',
  'BOOT-COMPAT-PVR',
  'BOOT-CAS-PVR',
  'BOOT-CPU-MODEL',
  'BOOT-CPU-COMPAT-PROP',
  'INFO-FORM2-AFFINITY',
  'INFO-RADIX-OV5',
  // B. CAS, MMU, GTSE, nesting (rules.md §B)
  'CAS-MMU-NEGOTIATED',
  'CAS-GTSE-FROM-KVM',
  'CAS-INVALID-REQUEST',
  'CAS-PVR-NEGOTIATION',
  'CAS-FORM2-MACHINE',
  'BOOT-RADIX-UNAVAILABLE',
  'BOOT-HASH-UNAVAILABLE',
  'BOOT-DISABLE-RADIX-IGNORED',
  'BOOT-NO-GTSE-NO-RPTI',
  'BOOT-RPTI-TCG',
  'BOOT-RPTI-NO-RADIX',
  'BOOT-RPTI-KVM-MISSING',
  'BOOT-RPTI-QEMU-OLD',
  'MIG-GTSE-CONTRACT',
  'MIG-MMU-CONTRACT',
  'MIG-DEST-CAP-APPLY',
  'NEST-HV-DISABLED',
  'NEST-POWER8',
  'NEST-L1-HASH',
  'NEST-HASH-L2',
  'NEST-HPT-UNSUPPORTED',
  'NEST-GTSE-INHERITED',
  'NEST-GTSE-OK',
  'NEST-RPTI-L0-OLD',
  'NEST-API-EXCLUSIVE',
  'NEST-TCG-UNSUPPORTED',
  'NEST-TCG-SMT',
  'NEST-PARENT-NO-NESTED-HV',
  'NEST-COMPAT-V2',
  'MODEL-DISAGREES',
  'MODEL-OV5-MALFORMED',
  // Planner: answers that cannot be computed from the recorded facts.
  'GUEST-CONTRACT-UNKNOWN',
  // Planner: refusals and failures seen running real QEMU 7.2, not yet in rules.md.
  'BOOT-MACHINE-OPTION',
  'BOOT-IRQ-MODE',
  'MIG-IRQ-BACKEND',
  'BOOT-IBS-FIXED-NA-ABORT',
  'NEST-XIVE-EMULATED',
  'BOOT-LE-VSX-OFF',
  'MIG-TCG-DECR-LOST',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

type ConstName<S extends string> = S extends `${infer H}-${infer T}` ? `${H}_${ConstName<T>}` : S;

/** `RULE.BOOT_RPTI_TCG === 'BOOT-RPTI-TCG'`: the constant to reference from code. */
export const RULE = Object.freeze(
  Object.fromEntries(RULE_IDS.map((id) => [id.replace(/-/g, '_'), id])),
) as { readonly [K in RuleId as ConstName<K>]: K };

const RULE_ID_SET: ReadonlySet<string> = new Set(RULE_IDS);

export function isRuleId(value: string): value is RuleId {
  return RULE_ID_SET.has(value);
}
