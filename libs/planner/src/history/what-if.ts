import { decide, FieldError, InMemoryFleet, parseCommand } from '@spapr/domain';
import type { CommandDocument } from '../recording/fleet-recorder';

export type WhatIfOutcome = { kind: 'applied'; fleet: InMemoryFleet; hypothetical: number } | { kind: 'rejected'; index: number; errors: FieldError[] };

/**
 * Applies hypothetical commands to a copy of the fleet, validated and decided exactly as recording would,
 * and records nothing: the fleet passed in is already a fold of the log made for this one question.
 */
export const applyWhatIf = (fleet: InMemoryFleet, documents: readonly CommandDocument[]): WhatIfOutcome => {
  for (const [index, { type, document }] of documents.entries()) {
    const parsed = parseCommand(type, document);
    if (!parsed.ok) return { kind: 'rejected', index, errors: parsed.error };
    const decided = decide(parsed.value.command, fleet);
    if (!decided.ok) return { kind: 'rejected', index, errors: decided.error };
    fleet.apply(decided.value.event);
  }
  return { kind: 'applied', fleet, hypothetical: documents.length };
};
