/**
 * A structured reason, the unit every check of the domain model returns: the rule that owns it
 * (rules.md), QEMU's or Linux's exact words, and the values that were compared. The rules
 * engine turns causes into findings (adding evidence and the catalogue's message template).
 */
import { RuleId } from '@spapr/domain/rules/rule-ids';
import { SpaprCapName } from './spapr-caps';

export type CauseSeverity = 'error' | 'warning' | 'info';

export type CauseValue = string | number | boolean | null;

export interface Cause {
  readonly ruleId: RuleId;
  readonly severity: CauseSeverity;
  /** The cap concerned, when there is one. */
  readonly cap: SpaprCapName | null;
  /** The message verbatim (`error_setg` / `warn_report` / `panic` text), or a plain statement for info causes. */
  readonly message: string;
  /** `error_append_hint` text without the trailing newline; null when there is none. */
  readonly hint: string | null;
  readonly values: Readonly<Record<string, CauseValue>>;
  /** file:function in QEMU or Linux that decides it. */
  readonly source: string;
}

/** A cause that concerns no single cap. */
export function causeOf(ruleId: RuleId, severity: CauseSeverity, message: string, values: Record<string, CauseValue>, source: string, hint: string | null = null): Cause {
  return { ruleId, severity, cap: null, message, hint, values, source };
}
