import { FieldError, fieldError, err, ok, Result } from '@spapr/domain';

/** `--as-of #POSITION` (an event position) or `--as-of TIME` (what had been recorded by then, ISO-8601 with zone). */
export type AsOf = { readonly position: number } | { readonly recordedBy: string };

const ZONED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export const parseAsOf = (text: string, field = '--as-of'): Result<AsOf, FieldError> => {
  if (/^#\d+$/.test(text)) return ok({ position: Number(text.slice(1)) });
  if (ZONED_TIME.test(text) && !Number.isNaN(Date.parse(text))) return ok({ recordedBy: new Date(text).toISOString() });
  return err(fieldError(field, 'must be #POSITION (e.g. #120) or an ISO-8601 time with zone (e.g. 2026-11-24T10:00:00Z)'));
};
