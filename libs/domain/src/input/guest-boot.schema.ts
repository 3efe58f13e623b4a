import { z } from 'zod';
import { boundedText, idSchema, idempotencyKeySchema, instantSchema } from './schema-primitives';

/** The QEMU `-machine` option string, exactly as QEMU takes it; parsed later by the machine model. */
export const machineOptionSchema = boundedText(1024).min(1, { error: 'must not be empty' });
/** The QEMU `-cpu` value (`host` under KVM, a model such as `POWER9` under TCG). */
export const cpuOptionSchema = boundedText(64).min(1, { error: 'must not be empty' });

export const kernelFeaturesSchema = z.strictObject({
  radix: z.boolean().optional(),
  gtseOptional: z.boolean().optional(),
  logicalPvrs: z
    .array(z.string().regex(/^0x[0-9a-fA-F]{8}$/, { error: 'must be a PVR such as 0x0f000005' }))
    .max(64, { error: 'must list at most 64 PVRs' })
    .optional(),
});

/** Linux's COMMAND_LINE_SIZE on powerpc is 2048 bytes: a longer cmdline cannot be a real one. */
export const guestKernelSchema = z.strictObject({
  release: boundedText(128).min(1, { error: 'must not be empty' }),
  cmdline: boundedText(2048),
  features: kernelFeaturesSchema.optional(),
});

export const smpSchema = z.strictObject({
  threads: z.int().min(1, { error: 'must be at least 1' }).max(8, { error: 'must be at most 8 (POWER SMT8)' }),
});

/** `ibm,architecture-vec-5` as the device tree holds it: byte 0 is the length minus one (cas-ov5.md §1.1). */
export const observedSchema = z.strictObject({
  ov5: z
    .string()
    .max(512, { error: 'must be at most 512 hex digits' })
    .regex(/^([0-9a-fA-F]{2})+$/, { error: 'must be an even number of hex digits' }),
  mmu: z.enum(['radix', 'hash']).optional(),
});

/** The guest configuration without time or observation: what `check boot --guest-spec` takes (SPEC §4.1). */
export const guestSpecShape = {
  guestId: idSchema,
  hostId: idSchema,
  machine: machineOptionSchema,
  cpu: cpuOptionSchema,
  smp: smpSchema.optional(),
  kernel: guestKernelSchema,
};

export const guestBootSchema = z.strictObject({
  ...guestSpecShape,
  at: instantSchema,
  observed: observedSchema.optional(),
  idempotencyKey: idempotencyKeySchema.optional(),
});

export type GuestBootInput = z.infer<typeof guestBootSchema>;
export type GuestBoot = Omit<GuestBootInput, 'idempotencyKey'>;
export type GuestKernel = z.infer<typeof guestKernelSchema>;

/**
 * `check boot --guest-spec FILE`: a §2.2 document without `at` or `observed` (SPEC §4.1); the IDs are optional
 * since the question names the host, and the guest need not exist yet.
 */
export const guestSpecSchema = z.strictObject({
  ...guestSpecShape,
  guestId: idSchema.optional(),
  hostId: idSchema.optional(),
});

export type GuestSpecInput = z.infer<typeof guestSpecSchema>;
