import { z } from 'zod';
import { ID_PATTERN } from '../ids';

export const idSchema = z
  .string()
  .max(128, { error: 'must be at most 128 characters' })
  .regex(ID_PATTERN, { error: `must match ${ID_PATTERN.source}` });

/** ISO-8601 with an explicit zone (`Z` or `±hh:mm`): a time without zone is ambiguous across a fleet. */
export const instantSchema = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 time with zone, e.g. 2026-11-24T10:00:00Z' });

/** Free text we store and show: bounded so one document cannot bloat the store. */
export const boundedText = (max: number) => z.string().max(max, { error: `must be at most ${max} characters` });

/** An operator-chosen key that makes a command safe to repeat (SPEC §2.3). */
export const idempotencyKeySchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(200, { error: 'must be at most 200 characters' });
