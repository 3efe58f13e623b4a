import { z } from 'zod';
import { boundedText, idSchema, idempotencyKeySchema, instantSchema } from './schema-primitives';

export const CPU_MODELS = ['POWER8', 'POWER9', 'POWER10', 'POWER11'] as const;
export const ACCELERATORS = ['kvm-hv', 'kvm-pr', 'tcg'] as const;

const bit = z.union([z.literal(0), z.literal(1)], { error: 'must be 0 or 1' });

/**
 * The KVM capabilities the rules read (`kvm_vm_ioctl_check_extension`); absent counts as 0 (SPEC §2.1).
 * KVM_CAP_PPC_GTSE is the unmerged 2022 proposal: 1 offered, 2 not offered, 0 old kernel.
 */
export const kvmCapsSchema = z.strictObject({
  KVM_CAP_PPC_MMU_RADIX: bit.optional(),
  KVM_CAP_PPC_MMU_HASH_V3: bit.optional(),
  KVM_CAP_PPC_NESTED_HV: bit.optional(),
  KVM_CAP_PPC_RPT_INVALIDATE: bit.optional(),
  KVM_CAP_PPC_GTSE: z.union([z.literal(0), z.literal(1), z.literal(2)], { error: 'must be 0, 1 or 2' }).optional(),
  KVM_CAP_PPC_HTM: bit.optional(),
  KVM_CAP_PPC_FWNMI: bit.optional(),
  KVM_CAP_PPC_AIL_MODE_3: bit.optional(),
  KVM_CAP_PPC_GET_CPU_CHAR: bit.optional(),
  KVM_CAP_PPC_DAWR1: bit.optional(),
});

/** Host mitigation levels as `KVM_PPC_GET_CPU_CHAR` reports them, spelled as QEMU's cap values. */
export const mitigationsSchema = z.strictObject({
  cfpc: z.enum(['broken', 'workaround', 'fixed']).optional(),
  sbbc: z.enum(['broken', 'workaround', 'fixed']).optional(),
  ibs: z.enum(['broken', 'workaround', 'fixed-ibs', 'fixed-ccd', 'fixed-na']).optional(),
  'ccf-assist': z.enum(['on', 'off']).optional(),
});

const powerOfTwoKiB = z
  .int({ error: 'must be an integer number of KiB' })
  .min(4, { error: 'must be at least 4 KiB' })
  .max(16 * 1024 * 1024, { error: 'must be at most 16 GiB' })
  .refine((n) => (n & (n - 1)) === 0, { error: 'must be a power of 2' });

export const kvmSchema = z.strictObject({
  caps: kvmCapsSchema,
  nestedEnabled: z.boolean(),
  ramPageSizeKiB: powerOfTwoKiB.optional(),
  mitigations: mitigationsSchema.optional(),
  decrBits: z.int().min(1, { error: 'must be at least 1' }).max(64, { error: 'must be at most 64' }).optional(),
});

export const hostSnapshotSchema = z
  .strictObject({
    hostId: idSchema,
    observedAt: instantSchema,
    level: z.int().min(0, { error: 'must be at least 0' }).max(8, { error: 'must be at most 8' }),
    parentGuestId: idSchema.nullable().optional(),
    cpu: z.strictObject({
      model: z.enum(CPU_MODELS),
      dd: z.string().regex(/^\d+\.\d+$/, { error: 'must look like 2.3' }).optional(),
    }),
    accelerator: z.enum(ACCELERATORS),
    kernel: z.strictObject({ release: boundedText(128).min(1, { error: 'must not be empty' }), cmdline: boundedText(4096) }),
    qemu: z.strictObject({
      version: z.string().regex(/^\d{1,3}\.\d{1,3}(\.\d{1,3})?$/, { error: 'must be major.minor[.patch], e.g. 7.2.0' }),
      gtseFromKvm: z.boolean().optional(),
    }),
    kvm: kvmSchema.optional(),
    idempotencyKey: idempotencyKeySchema.optional(),
  })
  .superRefine((s, ctx) => {
    const isKvm = s.accelerator !== 'tcg';
    if (isKvm && !s.kvm) ctx.addIssue({ code: 'custom', path: ['kvm'], message: `is required when accelerator is ${s.accelerator}` });
    if (!isKvm && s.kvm) ctx.addIssue({ code: 'custom', path: ['kvm'], message: 'must be absent when accelerator is tcg' });
    if (s.level === 0 && s.parentGuestId) ctx.addIssue({ code: 'custom', path: ['parentGuestId'], message: 'must be null on a level-0 (bare-metal) host' });
    if (s.level > 0 && !s.parentGuestId) ctx.addIssue({ code: 'custom', path: ['parentGuestId'], message: `is required on a level-${s.level} host: the guest it runs in` });
    if (s.kvm?.caps.KVM_CAP_PPC_NESTED_HV === 1 && !s.kvm.nestedEnabled) {
      // The cap is `hv_enabled && kvmhv_enable_nested(NULL) == 0`; it cannot be 1 with the `nested` parameter off.
      ctx.addIssue({ code: 'custom', path: ['kvm', 'caps', 'KVM_CAP_PPC_NESTED_HV'], message: 'is 1 but kvm.nestedEnabled is false: the cap needs the kvm_hv nested parameter' });
    }
    if (s.level > 0 && s.kvm?.caps.KVM_CAP_PPC_MMU_HASH_V3 === 1) {
      // A nested hypervisor is radix-only: KVM_PPC_ALLOCATE_HTAB fails in a nested kvm_hv (kvmppc_hash_v3_possible).
      ctx.addIssue({ code: 'custom', path: ['kvm', 'caps', 'KVM_CAP_PPC_MMU_HASH_V3'], message: `must be 0 on a level-${s.level} host: nested hypervisors are radix-only` });
    }
  });

export type HostSnapshotInput = z.infer<typeof hostSnapshotSchema>;
/** A host snapshot as stored: the idempotency key travels in metadata, `parentGuestId` is always present. */
export type HostSnapshot = Omit<HostSnapshotInput, 'idempotencyKey' | 'parentGuestId'> & { parentGuestId: string | null };
