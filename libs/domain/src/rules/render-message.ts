/**
 * The one renderer of a finding's message: the catalogue's template (rules.md) with the values compared.
 *
 * A template is one message or several (rules.md lists alternatives as code spans with their conditions). The first
 * form with `{name}` placeholders that the cause can fill is rendered:
 * - `{name}` takes the cause's value of that name; `{a/b}` or `{a|b}` the alternative some value of the cause spells;
 *   `{, text}` appears iff some value of the cause spells `text`; `{qemu message}` / `{boot-time message}` are the
 *   cause's own words, which are added after the rendered form when it does not already quote them. A form whose
 *   placeholders the cause cannot fill is not used.
 * - printf forms (`%s`, `%d` …) are QEMU's format strings: the cause's words are QEMU's rendering of one of them and
 *   are kept verbatim (tests and conformance match them), followed by the values compared.
 * - a template that is one literal sentence of the planner's is that sentence, quoting the cause's words unless it
 *   already does, and the values compared.
 * Otherwise (no template, "via …") the message is the cause's words and the values compared.
 */
import type { Cause, CauseValue } from '../caps/cause';
import { ruleDefinition } from './catalogue';
import type { RuleId } from './rule-ids';

type MessageSource = Pick<Cause, 'ruleId' | 'message' | 'values'>;

interface TemplateForm {
  readonly text: string;
  readonly placeholders: readonly string[];
  /** Finds this form, rendered, in a message (printf specs and placeholders as wildcards). */
  readonly pattern: RegExp;
}

const PLACEHOLDER = /\{([^{}]+)\}/g;
const QUOTE_PLACEHOLDERS = new Set(['qemu message', 'boot-time message']);

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function formOf(text: string): TemplateForm {
  const placeholders = [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
  const wildcard = text
    .split(/(%\.?\*?l?[sdux]|\{[^{}]+\}|…)/)
    .map((part, i) => (i % 2 === 1 ? '.*' : escapeRegExp(part)))
    .join('');
  return { text, placeholders, pattern: new RegExp(wildcard, 's') };
}

/** The messages a template lists: its code spans, or the whole cell when it has none. */
function formsOf(template: string): readonly TemplateForm[] {
  const spans = [...template.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
  return (spans.length > 0 ? spans : [template]).map(formOf);
}

const FORMS = new Map<RuleId, readonly TemplateForm[]>();

function formsOfRule(ruleId: RuleId): readonly TemplateForm[] {
  let forms = FORMS.get(ruleId);
  if (forms === undefined) {
    const template = ruleDefinition(ruleId).template;
    forms = template === null || template.startsWith('via ') || template.startsWith('(') ? [] : formsOf(template);
    FORMS.set(ruleId, forms);
  }
  return forms;
}

const show = (v: CauseValue): string => (v === null ? 'none' : String(v));

/** `k=v, …` of every value the cause compared. */
export function comparedValues(values: Cause['values']): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${show(v)}`)
    .join(', ');
}

/** One placeholder filled from the cause, or undefined when the cause does not carry it. */
function fill(name: string, cause: MessageSource): string | undefined {
  if (QUOTE_PLACEHOLDERS.has(name)) return cause.message;
  if (Object.prototype.hasOwnProperty.call(cause.values, name)) return show(cause.values[name] ?? null);
  const spelled = new Set(Object.values(cause.values).filter((v): v is string => typeof v === 'string'));
  if (name.startsWith(', ')) return spelled.has(name.slice(2)) ? name : '';
  const alternatives = name.split(/\s*[/|]\s*/);
  return alternatives.length > 1 ? alternatives.find((a) => spelled.has(a)) : undefined;
}

function renderPlaceholders(form: TemplateForm, cause: MessageSource): string | undefined {
  const filled = new Map<string, string>();
  for (const name of form.placeholders) {
    const value = fill(name, cause);
    if (value === undefined) return undefined;
    filled.set(name, value);
  }
  const text = form.text.replace(PLACEHOLDER, (_m, name: string) => filled.get(name) ?? '');
  return text.includes(cause.message) ? text : `${text}: ${cause.message}`;
}

const withValues = (text: string, values: Cause['values']): string => {
  const compared = comparedValues(values);
  return compared === '' ? text : `${text} (${compared})`;
};

/** A single literal form that is the planner's sentence rather than QEMU's format: rendered, quoting the cause. */
const literalSentence = (forms: readonly TemplateForm[]): TemplateForm | undefined => {
  const [only] = forms;
  return forms.length === 1 && only !== undefined && only.placeholders.length === 0 && !/%|…/.test(only.text) ? only : undefined;
};

/** The finding message of a cause (made once per cause by `renderedCause`: fleet-wide answers share their causes). */
export function renderMessage(cause: MessageSource): string {
  const forms = formsOfRule(cause.ruleId);
  for (const form of forms) {
    if (form.placeholders.length === 0) continue;
    const text = renderPlaceholders(form, cause);
    if (text !== undefined) return text;
  }
  const sentence = forms.some((f) => f.pattern.test(cause.message)) ? undefined : literalSentence(forms);
  if (sentence !== undefined) {
    return withValues(sentence.text.includes(cause.message) ? sentence.text : `${sentence.text}: ${cause.message}`, cause.values);
  }
  return withValues(cause.message, cause.values);
}
