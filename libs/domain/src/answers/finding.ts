import type { Cause } from '../caps/cause';
import { ruleDefinition } from '../rules/catalogue';
import { renderMessage } from '../rules/render-message';

/** Which recorded fact an answer rests on, and how old it was when the answer was given. */
export interface Evidence {
  readonly subject: string;
  readonly event: 'HostSnapshotRecorded' | 'GuestBooted' | 'GuestRebooted' | 'GuestMigrated' | 'hypothetical';
  readonly position: number;
  /** The fact's own time (snapshot observedAt, boot at). */
  readonly at: string;
  readonly ageSeconds: number;
}

/**
 * A cause as an operator sees it: the rule, its severity, the message (the catalogue's template with the values
 * compared), QEMU's or Linux's own words, the source, and the evidence.
 */
export interface Finding extends Cause {
  /** The cause's words verbatim (`Cause.message`: QEMU's, Linux's, or the planner's statement). */
  readonly quote: string;
  readonly evidence: readonly Evidence[];
  /** What would make it safe, where the catalogue knows (UX.md "say what would make it safe"). */
  readonly remedy: string | null;
}

/** A finding before its evidence: what a cause reads as wherever it applies. */
export type RenderedCause = Omit<Finding, 'evidence'>;

const RENDERED = new WeakMap<Cause, RenderedCause>();

/** A cause's rendered message, words and remedy, made once per cause object (fleet-wide answers share their causes). */
export const renderedCause = (cause: Cause): RenderedCause => {
  let rendered = RENDERED.get(cause);
  if (rendered === undefined) {
    const { ruleId, severity, cap, hint, values, source } = cause;
    rendered = { ruleId, severity, cap, message: renderMessage(cause), hint, values, source, quote: cause.message, remedy: ruleDefinition(ruleId).remedy };
    RENDERED.set(cause, rendered);
  }
  return rendered;
};

/** A rendered cause with the evidence it rests on (every finding has this one shape, its fields in the cause's order). */
export const withEvidence = (f: RenderedCause, evidence: readonly Evidence[]): Finding => ({
  ruleId: f.ruleId,
  severity: f.severity,
  cap: f.cap,
  message: f.message,
  hint: f.hint,
  values: f.values,
  source: f.source,
  quote: f.quote,
  evidence,
  remedy: f.remedy,
});

/** A cause with the evidence it rests on, its rendered message and the catalogue's remedy for its rule. */
export const findingOf = (cause: Cause, evidence: readonly Evidence[]): Finding => withEvidence(renderedCause(cause), evidence);

export type Verdict = 'safe' | 'warn' | 'unsafe';

/** rules.md: unsafe if any error, else warn if any warning, else safe. */
export const verdictOf = (findings: readonly Pick<Finding, 'severity'>[]): Verdict =>
  findings.some((f) => f.severity === 'error') ? 'unsafe' : findings.some((f) => f.severity === 'warning') ? 'warn' : 'safe';

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Errors first, then warnings, then the info that explains how the verdict was reached; stable within a class. */
export const rankFindings = <F extends Pick<Finding, 'severity'>>(findings: readonly F[]): F[] =>
  findings.map((f, i) => ({ f, i })).sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i).map(({ f }) => f);
