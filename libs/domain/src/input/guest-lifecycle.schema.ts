import { z } from 'zod';
import { cpuOptionSchema, guestKernelSchema, machineOptionSchema } from './guest-boot.schema';
import { idSchema, idempotencyKeySchema, instantSchema } from './schema-primitives';

export const guestMigrationSchema = z.strictObject({
  guestId: idSchema,
  toHostId: idSchema,
  at: instantSchema,
  machine: machineOptionSchema.optional(),
  cpu: cpuOptionSchema.optional(),
  idempotencyKey: idempotencyKeySchema.optional(),
});

export const guestRebootSchema = z.strictObject({
  guestId: idSchema,
  at: instantSchema,
  machine: machineOptionSchema.optional(),
  kernel: guestKernelSchema.optional(),
  idempotencyKey: idempotencyKeySchema.optional(),
});

export const guestStopSchema = z.strictObject({
  guestId: idSchema,
  at: instantSchema,
  idempotencyKey: idempotencyKeySchema.optional(),
});

export const retireHostSchema = z.strictObject({
  hostId: idSchema,
  at: instantSchema,
  idempotencyKey: idempotencyKeySchema.optional(),
});

export type GuestMigration = Omit<z.infer<typeof guestMigrationSchema>, 'idempotencyKey'>;
export type GuestReboot = Omit<z.infer<typeof guestRebootSchema>, 'idempotencyKey'>;
export type GuestStop = Omit<z.infer<typeof guestStopSchema>, 'idempotencyKey'>;
export type RetireHostInput = Omit<z.infer<typeof retireHostSchema>, 'idempotencyKey'>;
