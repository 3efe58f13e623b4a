/**
 * A live migration, step by step as the destination QEMU meets it (rules.md "Precedence"):
 * 1. destination startup: its QEMU starts with the destination `-machine`/`-cpu` (the guest's
 *    unless given) and runs every boot-time cap check against the destination host
 *    (`MIG-DEST-CAP-APPLY`, quoting the boot rule; `MIG-MACHINE-EXISTS`), once per host and configuration (destination-start.ts);
 * 2. the stream: the configuration section (`MIG-MACHINE-TYPE`), the interrupt controller
 *    devices (`MIG-IRQ-BACKEND`: a section the destination has no device for stops the load
 *    before any later section), cap subsections and `spapr_caps_post_migration` (`MIG-CAP-*`,
 *    `MIG-HPT-MAXPAGESIZE`), the vCPUs (`MIG-COMPAT-PVR`, `MIG-RAW-PVR`), once per pair of
 *    resolved configurations and compat PVR (migration-stream.ts);
 * 3. `spapr_post_load`: the MMU restore (`MIG-MMU-CONTRACT`), then the interrupt controller the guest negotiated
 *    made active again (`NEST-XIVE-EMULATED` on a nested KVM-HV destination, as at a boot there);
 * 4. a level ≥ 1 destination's inherited LPCR[GTSE] (`MIG-GTSE-CONTRACT`);
 * 5. the guest runs on: a TCG destination before QEMU 8.2 never re-arms the decrementer (`MIG-TCG-DECR-LOST`);
 *    the migration completes, but the guest stalls there.
 * The earliest failing step owns the answer: later steps are not evaluated once one fails (QEMU
 * never reaches them, and their causes would repeat the same host fact under another ID).
 * The CAS contract is kept; the caps become the destination's effective caps (SPEC §2.3).
 * Each step's causes are made once per distinct input and shared by every prediction that meets them.
 */
import { Cause } from '@spapr/domain/caps/cause';
import type { CapMigrationResult } from '@spapr/domain/caps/cap-migration';
import { GuestConfig, GuestConfigError, hostResolutionKey, resolveGuestConfig } from '@spapr/domain/caps/guest-caps';
import { GuestSpec, HostFacts, UNNAMED, isKvm, kvmCap } from '@spapr/domain/caps/host-facts';
import { SpaprCapLevels } from '@spapr/domain/caps/spapr-caps';
import { nestedXiveCause } from '@spapr/domain/machine/irq-backend';
import { memoPerObject } from '@spapr/domain/object-memo';
import { RULE } from '@spapr/domain/rules/rule-ids';
import { destinationStart } from './destination-start';
import { migrationStream } from './migration-stream';
import { CasContract, CasHost, gtseFromKvmCause } from './negotiate';
import { decrementerLostOnLoad } from './decrementer-on-load';
import { checkNestedGtse } from './nested-gtse';

export type MigrationOutcome = 'config-invalid' | 'destination-refuses' | 'stream-fails' | 'mmu-restore-fails' | 'irq-restore-fails' | 'gtse-conflict' | 'completes';

export interface MigrationSource {
  readonly host: HostFacts;
  /** The guest as its source QEMU was started. */
  readonly guest: Pick<GuestSpec, 'guestId' | 'machine' | 'cpu' | 'smp'>;
  /** The contract negotiated at its last boot (kept across migrations). */
  readonly contract: Pick<CasContract, 'mmu' | 'gtse' | 'compatPvr' | 'xive'>;
}

export interface MigrationDestination {
  readonly host: CasHost;
  /** Destination `-machine` / `-cpu` when they differ from the source's (SPEC §2.3). */
  readonly machine?: string;
  readonly cpu?: string;
}

export interface MigrationPrediction {
  readonly outcome: MigrationOutcome;
  readonly sourceConfig: GuestConfig | null;
  readonly destinationConfig: GuestConfig | null;
  readonly configErrors: readonly GuestConfigError[];
  readonly caps: CapMigrationResult | null;
  /** Present iff the migration completes: the guest's contract on the destination. */
  readonly contractAfter: (Pick<CasContract, 'mmu' | 'gtse' | 'compatPvr'> & { readonly effectiveCaps: SpaprCapLevels; readonly machineType: string }) | null;
  readonly causes: readonly Cause[];
}

/**
 * Everything of a source that `predictMigration` reads: its host's facts as the configuration's resolution and the
 * GTSE-from-KVM cause read them, the guest's `-machine`/`-cpu`/`-smp` and name, and the contract's MMU, GTSE and
 * compat PVR. Sources with the same key get the same prediction on every destination.
 */
export const migrationSourceKey = ({ host, guest, contract }: MigrationSource): string =>
  JSON.stringify([hostResolutionKey(host), gtseFromKvmCause(host), guest.guestId ?? null, guest.machine, guest.cpu, guest.smp?.threads ?? 1, contract.mmu, contract.gtse, contract.compatPvr, contract.xive]);

/**
 * `spapr_post_load` restores the MMU the guest runs (the contract is not renegotiated):
 * a radix guest needs `KVM_CAP_PPC_MMU_RADIX` on a KVM destination (`kvmppc_configure_v3_mmu`
 * fails: "Process table config unsupported by the host"); a hash guest's HPT section
 * (`htab_load` → `spapr_reallocate_hpt`) is refused by every nested kvm-hv host, whatever caps its
 * snapshot reports (`KVM_PPC_ALLOCATE_HTAB` returns -EOPNOTSUPP), and the guest cannot run where KVM
 * has radix but no HPT (`MMU_HASH_V3`=0 with `MMU_RADIX`=1). `MMU_HASH_V3`=0 alone does not block
 * (POWER8 KVM-HV hosts report 0 and run hash guests). TCG destinations accept both.
 */
export function checkContractOnDestination(contract: Pick<CasContract, 'mmu'>, destination: HostFacts): Cause[] {
  if (!isKvm(destination)) return [];
  const radix = kvmCap(destination, 'KVM_CAP_PPC_MMU_RADIX');
  const hashV3 = kvmCap(destination, 'KVM_CAP_PPC_MMU_HASH_V3');
  const values = { mmu: contract.mmu, h: destination.hostId ?? UNNAMED, n: destination.level, r: radix, hv: hashV3 };
  if (contract.mmu === 'radix' && radix === 0) {
    return [{ ruleId: RULE.MIG_MMU_CONTRACT, severity: 'error', cap: null, message: 'Process table config unsupported by the host', hint: null, values, source: 'hw/ppc/spapr.c:spapr_post_load → kvmppc_configure_v3_mmu' }];
  }
  const nestedKvmHv = destination.level >= 1 && destination.accelerator === 'kvm-hv';
  if (contract.mmu === 'hash' && (nestedKvmHv || (radix === 1 && hashV3 === 0))) {
    const message = nestedKvmHv ? 'HPT not supported in nested guests' : 'hash guest on a radix-only KVM host (no specific QEMU message verified)';
    return [{ ruleId: RULE.MIG_MMU_CONTRACT, severity: 'error', cap: null, message, hint: null, values, source: 'hw/ppc/spapr.c:spapr_reallocate_hpt; Linux book3s_hv.c:kvm_arch_vm_ioctl_hv' }];
  }
  return [];
}

/** Step 3, once per (destination host, MMU). */
const mmuRestore = memoPerObject((destination: HostFacts, mmu: CasContract['mmu']) => checkContractOnDestination({ mmu }, destination), (mmu) => [mmu]);

/**
 * Step 3, after the MMU: `spapr_irq_post_load` → `spapr_irq_update_active_intc` makes the backend the guest negotiated
 * active on the destination, which connects it to KVM as a boot does (conformance N26, N27, N29: the destination
 * QEMU on a nested host warns and emulates XIVE). Once per (destination host, configuration there, XIVE negotiated).
 */
const irqRestore = memoPerObject(
  (destination: HostFacts, dc: GuestConfig, xive: boolean): Cause[] => {
    const emulated = nestedXiveCause(destination, dc.irq, xive);
    return emulated === null ? [] : [{ ...emulated, source: `hw/ppc/spapr.c:spapr_post_load → spapr_irq_post_load; ${emulated.source}` }];
  },
  (dc, xive) => [dc, xive],
);

/** Step 4: the GTSE a level ≥ 1 KVM-HV destination imposes, once per (destination host, configuration there, contract, guest). */
const gtseImposed = memoPerObject(
  (destination: CasHost, dc: GuestConfig, mmu: CasContract['mmu'], gtse: boolean, guestId: string): Cause[] => {
    const parent = destination.parent;
    if (destination.level < 1 || destination.accelerator !== 'kvm-hv' || parent === undefined) return [];
    const causes = checkNestedGtse(parent, { mmu, gtse, effectiveCaps: dc.effectiveCaps }, { guestId });
    const contract = { g: gtse ? 1 : 0, h: destination.hostId ?? UNNAMED, n: destination.level, p: parent.l1.guestId, g1: parent.l1.gtse ? 1 : 0 };
    return causes.filter((c) => c.severity !== 'info').map((c) => ({ ...c, ruleId: RULE.MIG_GTSE_CONTRACT, values: { ...c.values, ...contract, quotedRule: c.ruleId } }));
  },
  (dc, mmu, gtse, guestId) => [dc, mmu, gtse, guestId],
);

/** Step 5, once per destination host. */
const runsOn = memoPerObject((destination: HostFacts): Cause[] => {
  const lost = decrementerLostOnLoad(destination);
  return lost === null ? [] : [lost];
}, () => [null]);

/**
 * A source's migrations: its configuration resolved on its own QEMU once, then each destination predicted through
 * the steps above.
 */
export function migrationFrom(source: MigrationSource): (destination: MigrationDestination) => MigrationPrediction {
  const src = resolveGuestConfig(source.host, source.guest);
  const sourceFromKvm = gtseFromKvmCause(source.host);
  // The recorded guest runs with options its own host's QEMU refuses: what its QEMU would send is unknowable,
  // so the answer cannot be safe.
  const refusedAtSource: Cause | null = src.ok
    ? null
    : {
        ruleId: RULE.GUEST_CONTRACT_UNKNOWN,
        severity: 'error',
        cap: null,
        message: `the guest's recorded configuration is refused by its own host's QEMU (${src.errors.map((e) => e.message).join('; ')}): its migration state cannot be predicted`,
        hint: 'record the configuration the guest really runs with (its reboot with -machine/-cpu as started)',
        values: { machine: source.guest.machine, cpu: source.guest.cpu },
        source: 'hw/ppc/spapr_caps.c:spapr_caps_pre_save (state comes from the running source QEMU)',
      };
  return (destination) => {
    const causes: Cause[] = [sourceFromKvm, gtseFromKvmCause(destination.host)].filter((c): c is Cause => c !== null);
    const none = (outcome: MigrationOutcome, extra: Partial<MigrationPrediction> = {}): MigrationPrediction => ({
      outcome,
      sourceConfig: null,
      destinationConfig: null,
      configErrors: [],
      caps: null,
      contractAfter: null,
      causes,
      ...extra,
    });
    if (!src.ok) {
      if (refusedAtSource !== null) causes.push(refusedAtSource);
      return none('config-invalid', { configErrors: src.errors });
    }
    const destGuest = { machine: destination.machine ?? source.guest.machine, cpu: destination.cpu ?? source.guest.cpu, ...(source.guest.smp ? { smp: source.guest.smp } : {}) };

    // Step 1: the destination QEMU starts.
    const start = destinationStart(destination.host, destGuest);
    causes.push(...start.causes);
    const failed = (): boolean => causes.some((c) => c.severity === 'error');
    if (!start.resolved.ok) {
      return none(failed() ? 'destination-refuses' : 'config-invalid', { sourceConfig: src.config, configErrors: start.resolved.errors });
    }
    const sc = src.config;
    const dc = start.resolved.config;
    if (failed()) {
      return none('destination-refuses', { sourceConfig: sc, destinationConfig: dc });
    }

    // Step 2: the stream.
    const stream = migrationStream(sc, dc, source.contract.compatPvr);
    causes.push(...stream.causes);
    if (stream.caps === null || stream.fails) {
      return none('stream-fails', { sourceConfig: sc, destinationConfig: dc, caps: stream.caps });
    }
    const caps = stream.caps;

    // Step 3: spapr_post_load, the MMU restore, then spapr_irq_post_load.
    causes.push(...mmuRestore(destination.host, source.contract.mmu));
    if (failed()) {
      return none('mmu-restore-fails', { sourceConfig: sc, destinationConfig: dc, caps });
    }
    causes.push(...irqRestore(destination.host, dc, source.contract.xive));
    if (failed()) {
      return none('irq-restore-fails', { sourceConfig: sc, destinationConfig: dc, caps });
    }

    // Step 4: GTSE a level ≥ 1 destination imposes.
    causes.push(...gtseImposed(destination.host, dc, source.contract.mmu, source.contract.gtse, source.guest.guestId ?? UNNAMED));
    if (failed()) {
      return none('gtse-conflict', { sourceConfig: sc, destinationConfig: dc, caps });
    }

    // Step 5: the guest runs on (the migration itself completes whatever this finds).
    causes.push(...runsOn(destination.host));
    return {
      outcome: 'completes',
      sourceConfig: sc,
      destinationConfig: dc,
      configErrors: [],
      caps,
      contractAfter: { mmu: source.contract.mmu, gtse: source.contract.gtse, compatPvr: source.contract.compatPvr, effectiveCaps: caps.capsAfterMigration, machineType: dc.machine.type.name },
      causes,
    };
  };
}

export const predictMigration = (source: MigrationSource, destination: MigrationDestination): MigrationPrediction => migrationFrom(source)(destination);
