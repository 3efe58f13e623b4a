/**
 * The rules the MMU simulation can confirm or refute: the ones whose cause it models (QEMU's
 * cap-rpt-invalidate and nested-HPT start-up checks, CAS on the MMU bytes, the guest kernel's radix panic,
 * LPCR[GTSE] and H_RPT_INVALIDATE at every level, the MMU restore of a migration, and whether kvm_hv loads in
 * a would-be L1: its MMU, its kernel, H_SET_PARTITION_TABLE under its cap-nested-hv). Every other error
 * (spectre caps, machine types, CPU models, PVRs, QEMU's cap-nested-hv start-up checks) is outside it.
 */
import type { Finding } from '@spapr/domain';
import type { RuleId } from '@spapr/domain/rules/rule-ids';

export const MMU_BOOT_RULES: ReadonlySet<RuleId> = new Set<RuleId>([
  'BOOT-NO-GTSE-NO-RPTI',
  'BOOT-RPTI-TCG',
  'BOOT-RPTI-NO-RADIX',
  'BOOT-RPTI-KVM-MISSING',
  'BOOT-RPTI-QEMU-OLD',
  'BOOT-HASH-UNAVAILABLE',
  'BOOT-RADIX-UNAVAILABLE',
  'NEST-GTSE-INHERITED',
  'NEST-RPTI-L0-OLD',
  'NEST-HASH-L2',
  'NEST-HPT-UNSUPPORTED',
]);

/** `check nesting`'s own rules on the would-be L1 (kvm-hv-in-guest.ts models both causes); its L2s are boots. */
const MMU_NESTING_RULES: ReadonlySet<RuleId> = new Set<RuleId>(['NEST-L1-HASH', 'NEST-PARENT-NO-NESTED-HV']);

const BOOT_RPTI_RULES: ReadonlySet<string> = new Set(['BOOT-RPTI-TCG', 'BOOT-RPTI-NO-RADIX', 'BOOT-RPTI-KVM-MISSING', 'BOOT-RPTI-QEMU-OLD']);

/** MIG-DEST-CAP-APPLY counts only when it quotes a BOOT-RPTI-* refusal. */
const inMigrationScope = (f: Finding): boolean =>
  f.ruleId === 'MIG-MMU-CONTRACT' || f.ruleId === 'MIG-GTSE-CONTRACT' || (f.ruleId === 'MIG-DEST-CAP-APPLY' && BOOT_RPTI_RULES.has(String(f.values.quotedRule)));

/**
 * Errors of a migration that completed with the MMU state restored: they stall the guest (the decrementer TCG
 * before QEMU 8.2 does not re-arm) but change no translation, so the simulation's run of it stays comparable.
 */
const BESIDE_THE_MMU: ReadonlySet<RuleId> = new Set<RuleId>(['MIG-TCG-DECR-LOST']);

export type MmuVerdict = 'unsafe' | 'not-unsafe' | 'out-of-scope';

/** `unsafe` iff an in-scope rule found an error; `out-of-scope` when an error of another family fired. */
export const mmuVerdict = (kind: 'boot' | 'migration' | 'nesting', findings: readonly Finding[]): MmuVerdict => {
  const errors = findings.filter((f) => f.severity === 'error' && !BESIDE_THE_MMU.has(f.ruleId));
  const inScope = (f: Finding) => (kind === 'migration' ? inMigrationScope(f) : MMU_BOOT_RULES.has(f.ruleId) || (kind === 'nesting' && MMU_NESTING_RULES.has(f.ruleId)));
  if (errors.some((f) => !inScope(f))) return 'out-of-scope';
  return errors.length > 0 ? 'unsafe' : 'not-unsafe';
};
