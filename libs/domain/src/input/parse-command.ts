import { z } from 'zod';
import { FieldError } from '../field-error';
import { FLEET_COMMAND_TYPES, FleetCommand, FleetCommandType } from '../fleet/fleet.commands';
import { err, ok, Result } from '../result';
import { guestBootSchema, GuestSpecInput, guestSpecSchema } from './guest-boot.schema';
import { guestMigrationSchema, guestRebootSchema, guestStopSchema, retireHostSchema } from './guest-lifecycle.schema';
import { hostSnapshotSchema } from './host-snapshot.schema';
import { zodFieldErrors } from './zod-field-errors';

const schemas = {
  RecordHostSnapshot: hostSnapshotSchema,
  RecordGuestBoot: guestBootSchema,
  RecordGuestMigration: guestMigrationSchema,
  RecordGuestReboot: guestRebootSchema,
  RecordGuestStop: guestStopSchema,
  RetireHost: retireHostSchema,
} satisfies Record<FleetCommandType, z.ZodType>;

export interface ParsedCommand {
  readonly command: FleetCommand;
  readonly idempotencyKey?: string;
}

/** Validates one command document; the idempotency key leaves the data for the event's metadata. */
export const parseCommand = (type: FleetCommandType, raw: unknown): Result<ParsedCommand, FieldError[]> => {
  const parsed = schemas[type].safeParse(raw);
  if (!parsed.success) return err(zodFieldErrors(parsed.error));
  const { idempotencyKey, ...data } = parsed.data as { idempotencyKey?: string } & Record<string, unknown>;
  if (type === 'RecordHostSnapshot') data.parentGuestId ??= null;
  const command = { type, data } as FleetCommand;
  return ok(idempotencyKey === undefined ? { command } : { command, idempotencyKey });
};

const envelopeSchema = z.strictObject({
  command: z.enum(FLEET_COMMAND_TYPES as [FleetCommandType, ...FleetCommandType[]]),
  data: z.unknown().refine((d) => d !== undefined, { error: 'is required' }),
});

/**
 * One line of an `import` file: `{"command": "RecordHostSnapshot", "data": {...}}` (SPEC §4.1).
 * Only the envelope is checked here; `data` is validated when the batch is recorded.
 */
export const parseCommandEnvelope = (raw: unknown): Result<{ type: FleetCommandType; document: unknown }, FieldError[]> => {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) return err(zodFieldErrors(envelope.error));
  return ok({ type: envelope.data.command, document: envelope.data.data });
};

/** A guest configuration for `check boot` / `simulate --guest-spec`. */
export const parseGuestSpec = (raw: unknown): Result<GuestSpecInput, FieldError[]> => {
  const parsed = guestSpecSchema.safeParse(raw);
  return parsed.success ? ok(parsed.data) : err(zodFieldErrors(parsed.error));
};
