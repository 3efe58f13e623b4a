/**
 * The host and guest facts the domain model reads, as small structural interfaces that mirror
 * SPEC §2.1 (host snapshot) and §2.2 (guest boot) field for field, so a recorded JSON document
 * (or `input/`'s parsed `HostSnapshot` / `GuestBoot`) can be passed straight in.
 */
import { Accelerator, HostCpuModel } from '@spapr/domain/machine/cpu-models';

/** `kvm.caps`: KVM_CHECK_EXTENSION answers; absent counts as 0 (SPEC §2.1). */
export interface KvmCapsFacts {
  readonly KVM_CAP_PPC_MMU_RADIX?: number;
  readonly KVM_CAP_PPC_MMU_HASH_V3?: number;
  readonly KVM_CAP_PPC_NESTED_HV?: number;
  readonly KVM_CAP_PPC_RPT_INVALIDATE?: number;
  /** The unmerged 2022 proposal: honoured only with `qemu.gtseFromKvm` (rules.md header). */
  readonly KVM_CAP_PPC_GTSE?: number;
  readonly KVM_CAP_PPC_HTM?: number;
  readonly KVM_CAP_PPC_FWNMI?: number;
  readonly KVM_CAP_PPC_AIL_MODE_3?: number;
  readonly KVM_CAP_PPC_GET_CPU_CHAR?: number;
  readonly KVM_CAP_PPC_DAWR1?: number;
}

/** `kvm.mitigations`: `KVM_PPC_GET_CPU_CHAR` as QEMU's `parse_cap_ppc_safe_*` read it, spelled as cap values. */
export interface MitigationFacts {
  readonly cfpc?: 'broken' | 'workaround' | 'fixed';
  readonly sbbc?: 'broken' | 'workaround' | 'fixed';
  readonly ibs?: 'broken' | 'workaround' | 'fixed-ibs' | 'fixed-ccd' | 'fixed-na';
  readonly 'ccf-assist'?: 'on' | 'off';
}

export interface KvmFacts {
  readonly caps: KvmCapsFacts;
  readonly nestedEnabled: boolean;
  /** Page size backing guest RAM, KiB (default 64): `qemu_minrampagesize()`. */
  readonly ramPageSizeKiB?: number;
  readonly mitigations?: MitigationFacts;
  /** Host `ibm,dec-bits` (`kvmppc_get_dec_bits`); absent = 0. */
  readonly decrBits?: number;
}

export interface HostFacts {
  /** The snapshot's `hostId` and `parentGuestId`, where known: they name the host in messages. */
  readonly hostId?: string;
  readonly parentGuestId?: string | null;
  readonly level: number;
  readonly cpu: { readonly model: HostCpuModel; readonly dd?: string };
  readonly accelerator: Accelerator;
  readonly kernel?: { readonly release: string; readonly cmdline: string };
  readonly qemu: { readonly version: string; readonly gtseFromKvm?: boolean };
  /** Present iff the accelerator is a KVM one. */
  readonly kvm?: KvmFacts;
}

export interface GuestKernelFacts {
  readonly release: string;
  readonly cmdline: string;
  readonly features?: {
    readonly radix?: boolean;
    readonly gtseOptional?: boolean;
    /** The logical PVRs the kernel lists at CAS, hex (`0x0f000005`). */
    readonly logicalPvrs?: readonly string[];
  };
}

/** A guest configuration (SPEC §2.2 without ids, time or observation). */
export interface GuestSpec {
  /** Names the guest in messages, where known. */
  readonly guestId?: string;
  readonly machine: string;
  readonly cpu: string;
  readonly smp?: { readonly threads: number };
  readonly kernel: GuestKernelFacts;
}

/** `kvm_vm_check_extension` as QEMU sees it: absent → 0. */
export function kvmCap(host: HostFacts, cap: keyof KvmCapsFacts): number {
  return host.kvm?.caps[cap] ?? 0;
}

export function isKvm(host: Pick<HostFacts, 'accelerator'>): boolean {
  return host.accelerator !== 'tcg';
}

/** SPEC §2.1: `kvm.ramPageSizeKiB` defaults to 64. */
export function ramPageSizeKiB(host: HostFacts): number {
  return host.kvm?.ramPageSizeKiB ?? 64;
}

/** How messages name a host or guest whose ID the facts do not carry. */
export const UNNAMED = '(unnamed)';
