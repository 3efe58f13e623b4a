/**
 * The CAS model (rules.md §B): from a host (QEMU version, accelerator, KVM caps, level) and a
 * guest (machine, cpu, kernel) to the contract the guest negotiates at
 * `ibm,client-architecture-support` — or the failure QEMU or the guest kernel would hit.
 *
 * The pipeline follows the order things happen:
 * 1. QEMU parses `-machine`/`-cpu` and builds the machine (`spapr_machine_init`): the ov5 offer
 *    `spapr->ov5`, the caps' defaults and effective values;
 * 2. `spapr_machine_reset`: cap apply hooks (caps/startup-checks.ts), HPT for a pre-3.00 CPU
 *    (fails on a nested host), `ppc_set_compat_all(max-cpu-compat)`;
 * 3. FDT: `ibm,arch-vec-5-platform-support` (`spapr_dt_ov5_platform_support`; from 6.1 it already
 *    refuses hash on a radix-only host);
 * 4. Linux `prom_check_platform_support` builds its request; QEMU `do_client_architecture_support`
 *    picks the compat PVR (`cas_check_pvr`), intersects ov5 (`spapr_ovec_intersect`), validates
 *    the MMU (`spapr_check_mmu_mode`) and writes `/chosen/ibm,architecture-vec-5`;
 * 5. the guest reads it back (`early_check_vec5`) and `pSeries_setup_arch` may panic;
 * 6. `pSeries_setup_arch` asks H_GET_CPU_CHARACTERISTICS, whose QEMU handler may abort;
 * 7. init runs: a little-endian userspace needs VSX (userspace-isa.ts).
 * Every independent cause is reported; the outcome is the earliest stage that fails.
 */
import { Cause, causeOf as cause } from '@spapr/domain/caps/cause';
import { cpuCharacteristicsAbort } from '@spapr/domain/caps/cpu-characteristics';
import { GuestConfig, GuestConfigError, resolveGuestConfig } from '@spapr/domain/caps/guest-caps';
import { GuestSpec, HostFacts, UNNAMED, isKvm, kvmCap } from '@spapr/domain/caps/host-facts';
import { qemuAtLeast } from '@spapr/domain/caps/qemu-version';
import { SpaprCapLevels } from '@spapr/domain/caps/spapr-caps';
import { checkCapsAtStartup } from '@spapr/domain/caps/startup-checks';
import {
  COMPAT_MODES,
  CPU_POWERPC_LOGICAL_3_00,
  CompatModeName,
  checkCompat,
  compatByPvr,
  formatPvr,
  maxCpuCompatResetError,
  ownCompatMode,
} from '@spapr/domain/machine/compat';
import { Accelerator, FAMILY_RAW_PVR } from '@spapr/domain/machine/cpu-models';
import { hasXive, irqInitCause, nestedXiveCause } from '@spapr/domain/machine/irq-backend';
import { deprecationWarning } from '@spapr/domain/machine/machine-option';
import { machineAtMost } from '@spapr/domain/machine/machine-types';
import { RULE } from '@spapr/domain/rules/rule-ids';
import { defaultCapsCauses } from '@spapr/domain/caps/cap-defaults-explained';
import { form2Causes } from './form2';
import { checkNestedCompat } from './nested-compat';
import { checkNestedGtse } from './nested-gtse';
import { userspaceWithoutVsx } from './userspace-isa';
import { KernelFeatures, PromCmdline, kernelFeatures, parseKernelRelease, parsePromCmdline } from './kernel-features';
import {
  OV5_DRCONF_MEMORY,
  OV5_DRMEM_V2,
  OV5_FEATURES,
  OV5_FORM1_AFFINITY,
  OV5_FORM2_AFFINITY,
  OV5_HPT_RESIZE,
  OV5_HP_EVT,
  OV5_MMU_RADIX_300,
  OV5_MMU_RADIX_GTSE,
  OV5_XIVE_EXPLOIT,
  Ov5Vector,
  hex2,
  readOv5,
} from './ov5';

/**
 * The parent guest P of a level ≥ 1 host (SPEC §2.1), and the chain below it down to L0: the first host that is
 * bare metal or does not run KVM-HV (nested.md §3.3). Every nested guest at any depth is finally entered by L0,
 * through H_ENTER_NESTED from the KVM of `l1`, the guest L0 runs directly (P itself for a level-1 host).
 */
export interface NestedParentFacts {
  readonly guestId: string;
  /** v2 iff P runs `cap-nested-papr=on`, else v1. */
  readonly nestedApi: 'v1' | 'v2';
  /** The compat mode P negotiated at CAS (null: raw mode). */
  readonly compatMode: CompatModeName | null;
  /**
   * The guest L0 runs directly: the LPCR[GTSE] it registered with `H_REGISTER_PROC_TBL` (= its negotiated GTSE for
   * Linux) is the one a KVM-HV L0 keeps for every nested guest below it (`load_l2_hv_regs`), under its nested API.
   */
  readonly l1: { readonly guestId: string; readonly gtse: boolean; readonly nestedApi: 'v1' | 'v2' };
  /** L0's accelerator. */
  readonly l0Accelerator: Accelerator;
  /** L0's `KVM_CAP_PPC_RPT_INVALIDATE` (kernel ≥ 5.14 handles nested guests' process-scoped hcalls itself). */
  readonly l0RptInvalidate: boolean;
  readonly l0HostId: string;
  readonly l0Kernel: string | null;
}

export type BootOutcome =
  /** The `-machine`/`-cpu` strings are refused (bad syntax, unknown type or property). */
  | 'config-invalid'
  /** QEMU exits before the guest runs (machine init, reset, FDT). */
  | 'qemu-refuses'
  /** CAS fails: QEMU exits (MMU mode) or returns H_HARDWARE (PVR). */
  | 'cas-fails'
  /** CAS completes, then the guest kernel panics. */
  | 'guest-panics'
  /** CAS completes and the guest runs, then QEMU aborts on an assertion in an hcall handler. */
  | 'qemu-aborts'
  | 'boots';

/** `ibm,arch-vec-5-platform-support` (`spapr_dt_ov5_platform_support`): index → value pairs. */
export interface PlatformSupport {
  readonly byte23: number;
  readonly byte24: number;
  readonly byte25: number;
  readonly byte26: number;
}

export interface CasContract {
  /** The resolved machine type (what migration compares). */
  readonly machineType: string;
  readonly mmu: 'radix' | 'hash';
  readonly gtse: boolean;
  /** The negotiated logical PVR, 0 for raw mode. */
  readonly compatPvr: number;
  readonly compatMode: CompatModeName | null;
  readonly xive: boolean;
  readonly form2: boolean;
  /** `/chosen/ibm,architecture-vec-5` as hex (`spapr_dt_ovec`). */
  readonly ov5: string;
  /** `spapr->eff` the guest runs with. */
  readonly effectiveCaps: SpaprCapLevels;
}

export interface BootPrediction {
  readonly outcome: BootOutcome;
  readonly config: GuestConfig | null;
  /** Refusals of the option strings (those with a rule ID are also in `causes`). */
  readonly configErrors: readonly GuestConfigError[];
  readonly platformSupport: PlatformSupport | null;
  /** `spapr->ov5` (QEMU's offer) and the guest's request, as vectors (hex for transport). */
  readonly offer: string | null;
  readonly request: string | null;
  /** Present iff CAS completed (outcome `boots` or `guest-panics`). */
  readonly contract: CasContract | null;
  readonly causes: readonly Cause[];
}

export interface CasHost extends HostFacts {
  /** Needed only for level ≥ 1 hosts, for the GTSE inheritance rules. */
  readonly parent?: NestedParentFacts;
}


/** `ppc_type_check_compat(cpu, LOGICAL_3_00, 0, max_compat_pvr)`: the CPU/compat reaches ISA 3.00. */
function reachesIsa300(config: GuestConfig): boolean {
  return checkCompat(config.cpu.facts.pcrSupported, CPU_POWERPC_LOGICAL_3_00, 0, config.machine.maxCpuCompat?.pvr ?? 0, config.qemu);
}

/** The GTSE offer under the rules.md header rule: honoured only with `qemu.gtseFromKvm: true`. */
export function gtseOffered(host: HostFacts): boolean {
  if (host.qemu.gtseFromKvm !== true) {
    return true;
  }
  return kvmCap(host, 'KVM_CAP_PPC_GTSE') !== 2;
}

/** CAS-GTSE-FROM-KVM: every answer involving a host with `qemu.gtseFromKvm: true` says it models the proposal. */
export function gtseFromKvmCause(host: HostFacts): Cause | null {
  if (host.qemu.gtseFromKvm !== true) return null;
  const v = kvmCap(host, 'KVM_CAP_PPC_GTSE');
  const gtse = gtseOffered(host) ? 'offered' : 'not offered';
  return cause(
    RULE.CAS_GTSE_FROM_KVM,
    'info',
    `modelling the unmerged 2022 KVM_CAP_PPC_GTSE proposal: KVM_CAP_PPC_GTSE=${v} → GTSE ${gtse} with radix; no released QEMU or kernel does this`,
    { h: host.hostId ?? UNNAMED, v, gtse },
    'qemu-devel RFC 20220309012400.2527157-1-farosas@linux.ibm.com',
  );
}

/**
 * `spapr->ov5`, built once in `spapr_machine_init` (hw/ppc/spapr.c, identical 5.1 … latest):
 * DRCONF_MEMORY if `dr_lmb_enabled` (pseries ≥ 2.5), FORM1 always, FORM2 unless
 * `pre_6_2_numa_affinity` (pseries ≤ 6.1, and only QEMU ≥ 6.2 knows it), HP_EVT with the
 * hot-plug event source (pseries ≥ 2.8 or `modern-hotplug-events`), HPT_RESIZE unless
 * `resize-hpt` is disabled (default enabled for pseries ≥ 2.10; `kvmppc_check_papr_resize_hpt`
 * keeps the default under TCG, with `KVM_CAP_SPAPR_RESIZE_HPT`, and on KVM-PR, which resizes in
 * QEMU), DRMEM_V2 always, XIVE_EXPLOIT if the
 * IRQ backend has XIVE (dual from pseries 4.1, or `ic-mode=xive|dual`), and
 * MMU_RADIX_300 + MMU_RADIX_GTSE when (TCG or `KVM_CAP_PPC_MMU_RADIX`) and the CPU/compat
 * reaches 3.00 ("KVM and TCG always allow GTSE with radix").
 */
export function qemuOv5Offer(host: HostFacts, config: GuestConfig): { vector: Ov5Vector; radix: boolean; gtse: boolean; xive: boolean } {
  const type = config.machine.type;
  const props = config.machine.otherProperties;
  let v = Ov5Vector.empty();
  if (!machineAtMost(type, '2.4')) v = v.with(OV5_DRCONF_MEMORY);
  v = v.with(OV5_FORM1_AFFINITY);
  if (qemuAtLeast(config.qemu, '6.2') && !machineAtMost(type, '6.1')) v = v.with(OV5_FORM2_AFFINITY);
  const modernHotplug = props['modern-hotplug-events'];
  const hotplug = modernHotplug !== undefined ? ['on', 'yes', 'true', 'y'].includes(modernHotplug) : !machineAtMost(type, '2.7');
  if (hotplug) v = v.with(OV5_HP_EVT);
  const resize = props['resize-hpt'];
  const resizeOn = resize !== undefined ? resize !== 'disabled' : !machineAtMost(type, '2.9');
  if (resizeOn) v = v.with(OV5_HPT_RESIZE);
  v = v.with(OV5_DRMEM_V2);
  // spapr_machine_init advertises XIVE after spapr_irq_init, i.e. with the checked backend.
  const xive = hasXive(config.irq.mode);
  if (xive) v = v.with(OV5_XIVE_EXPLOIT);
  const radix = (!isKvm(host) || kvmCap(host, 'KVM_CAP_PPC_MMU_RADIX') === 1) && reachesIsa300(config);
  const gtse = radix && gtseOffered(host);
  if (radix) v = v.with(OV5_MMU_RADIX_300);
  if (gtse) v = v.with(OV5_MMU_RADIX_GTSE);
  return { vector: v, radix, gtse, xive };
}

/**
 * `spapr_dt_ov5_platform_support`: byte 23 from the IRQ backend (dual 0x80, xive 0x40, xics 0),
 * byte 24 the MMU choice, byte 25 0, byte 26 0x40 ("Radix options: GTSE == yes", unless the
 * modelled gtseFromKvm proposal withholds it). A CPU whose current compat is below 3.00 gets
 * hash (0) and legacy interrupts.
 */
export function platformSupport(host: HostFacts, config: GuestConfig): PlatformSupport {
  const irq = config.irq.mode;
  let byte23 = irq === 'dual' ? 0x80 : irq === 'xive' ? 0x40 : 0x00;
  let byte24: number;
  if (!reachesIsa300(config)) {
    byte23 = 0x00;
    byte24 = 0x00;
  } else if (isKvm(host)) {
    const radix = kvmCap(host, 'KVM_CAP_PPC_MMU_RADIX') === 1;
    const hash = kvmCap(host, 'KVM_CAP_PPC_MMU_HASH_V3') === 1;
    byte24 = radix && hash ? 0x80 : radix ? 0x40 : 0x00;
  } else {
    byte24 = 0xc0; // "V3 MMU supports both hash and radix in tcg (with dynamic switching)"
  }
  return { byte23, byte24, byte25: 0x00, byte26: gtseOffered(host) ? 0x40 : 0x00 };
}

export interface LinuxCasRequest {
  readonly vector: Ov5Vector;
  readonly mmu: 'radix' | 'hash';
  readonly gtse: boolean;
  readonly xive: boolean;
  /** `prom_parse_mmu_model` printed "WARNING: Ignoring cmdline option disable_radix". */
  readonly disableRadixIgnored: boolean;
  readonly cmdline: PromCmdline;
}

/**
 * Linux `prom_check_platform_support` (arch/powerpc/kernel/prom_init.c): the template asks
 * byte 2 LPAR|SPLPAR|LARGE_PAGES|DRCONF|DONATE|MSI, byte 5 FORM1|PRRN(|FORM2), byte 6
 * RESIZE_HPT|HP_EVT, byte 22 DRMEM_V2|DRC_INFO; bytes 23/24/26 from the platform support:
 * - byte 24 & 0xC0: 0xC0/0x80 → radix unless `disable_radix`, hash possible; 0x40 → radix even
 *   with `disable_radix` (warning); 0x00 → hash.
 * - byte 26 & 0x40 → GTSE unless `radix_hcall_invalidate=on`.
 * - GTSE-optional kernels (≥ 5.9) ask radix (+GTSE if allowed); older ones ask radix only
 *   together with GTSE ("Radix preferred - but we require GTSE for now"), else hash / legacy.
 * - byte 23: 0x80 → XIVE unless `xive=off`; 0x40 → XIVE; 0 → legacy.
 */
export function linuxCasRequest(features: KernelFeatures, cmdline: string, release: string, platform: PlatformSupport): LinuxCasRequest {
  const prom = parsePromCmdline(cmdline, features.gtseOptional);
  const model = platform.byte24 & 0xc0;
  let radixMmu = false;
  let hashMmu = false;
  let disableRadixIgnored = false;
  if (model === 0xc0 || model === 0x80) {
    radixMmu = !prom.disableRadix;
    hashMmu = true;
  } else if (model === 0x40) {
    disableRadixIgnored = prom.disableRadix;
    radixMmu = true;
  } else {
    hashMmu = true;
  }
  const radixGtse = (platform.byte26 & 0x40) !== 0 && !prom.radixGtseDisable;
  let mmu: 'radix' | 'hash' = 'hash';
  let gtse = false;
  if (features.gtseOptional) {
    if (radixMmu && features.radix) {
      mmu = 'radix';
      gtse = radixGtse;
    }
  } else if (radixMmu && radixGtse && features.radix) {
    mmu = 'radix';
    gtse = true;
  }
  void hashMmu; // hash or "legacy hash support": both leave byte 24 = 0, i.e. a hash request
  const r = parseKernelRelease(release);
  const xiveCapable = r === null || r.major > 4 || (r.major === 4 && r.minor >= 16);
  const xive = xiveCapable && (platform.byte23 === 0x40 || (platform.byte23 === 0x80 && !prom.xiveDisable));

  const feature = (name: string) => OV5_FEATURES.find((f) => f.name === name) as (typeof OV5_FEATURES)[number];
  let v = Ov5Vector.empty();
  for (const name of ['OV5_LPAR', 'OV5_SPLPAR', 'OV5_LARGE_PAGES', 'OV5_DRCONF_MEMORY', 'OV5_DONATE_DEDICATE_CPU', 'OV5_MSI', 'OV5_FORM1_AFFINITY', 'OV5_PRRN', 'OV5_HPT_RESIZE', 'OV5_HP_EVT', 'OV5_DRMEM_V2', 'OV5_DRC_INFO']) {
    v = v.with(feature(name));
  }
  if (features.form2) v = v.with(OV5_FORM2_AFFINITY);
  if (xive) v = v.with(OV5_XIVE_EXPLOIT);
  if (mmu === 'radix') v = v.with(OV5_MMU_RADIX_300);
  if (gtse) v = v.with(OV5_MMU_RADIX_GTSE);
  return { vector: v, mmu, gtse, xive, disableRadixIgnored, cmdline: prom };
}

export interface PvrNegotiation {
  readonly ok: boolean;
  /** Best logical PVR (0 = raw mode). */
  readonly compatPvr: number;
  readonly rawListed: boolean;
  /** Whether the guest's list was known (else the answer is assumed and never fails). */
  readonly listKnown: boolean;
}

/**
 * `cas_check_pvr` + its caller (hw/ppc/spapr_hcall.c): scan the guest's PVR list; a logical PVR
 * the CPU supports within `max-cpu-compat` replaces the best one so far (`ppc_check_compat(cpu,
 * pvr, best, max)`); the raw PVR matching marks raw mode possible. No compat PVR and (raw not
 * listed or `max-cpu-compat` set) → "Couldn't negotiate a suitable PVR during CAS".
 * rules.md: the raw PVR counts as listed iff the CPU's own highest logical PVR is in the list.
 * Unknown list: assume the kernel lists every logical PVR up to the CPU's own and its raw PVR.
 */
export function negotiatePvr(config: GuestConfig, logicalPvrs: readonly number[] | null): PvrNegotiation {
  const family = config.cpu.facts.family;
  const own = ownCompatMode(family)?.pvr ?? null;
  const maxPvr = config.machine.maxCpuCompat?.pvr ?? 0;
  const ownOrder = own === null ? -1 : (compatByPvr(own, config.qemu)?.order ?? -1);
  const list = logicalPvrs ?? COMPAT_MODES.filter((m) => m.order <= ownOrder).map((m) => m.pvr);
  let best = 0;
  for (const pvr of list) {
    if (checkCompat(config.cpu.facts.pcrSupported, pvr, best, maxPvr, config.qemu)) {
      best = pvr;
    }
  }
  const rawListed = logicalPvrs === null ? true : own !== null && logicalPvrs.includes(own);
  const ok = best !== 0 || (rawListed && maxPvr === 0);
  return { ok, compatPvr: best, rawListed, listKnown: logicalPvrs !== null };
}

/** The whole boot: QEMU start, CAS, guest kernel. */
export function predictBoot(host: CasHost, guest: GuestSpec): BootPrediction {
  const causes: Cause[] = [];
  const gtseFromKvm = gtseFromKvmCause(host);
  if (gtseFromKvm !== null) causes.push(gtseFromKvm);
  const names = { g: guest.guestId ?? UNNAMED, h: host.hostId ?? UNNAMED };
  const resolved = resolveGuestConfig(host, guest);
  if (!resolved.ok) {
    for (const e of resolved.errors) {
      if (e.ruleId !== null) causes.push(cause(e.ruleId, 'error', e.message, { field: e.field, key: 'key' in e ? e.key : null }, 'QEMU option parsing'));
    }
    return { outcome: 'config-invalid', config: null, configErrors: resolved.errors, platformSupport: null, offer: null, request: null, contract: null, causes };
  }
  const config = resolved.config;
  const qemu = config.qemu;
  const kvm = isKvm(host);
  const nestedKvmHv = host.level >= 1 && host.accelerator === 'kvm-hv';
  const isa300 = reachesIsa300(config);
  const cpuNames = { cpu: config.cpu.facts.family, mc: config.machine.maxCpuCompat?.name ?? 'unset' };
  causes.push(...defaultCapsCauses(config));
  // The earliest failing stage owns the outcome.
  const state: { stage: BootOutcome } = { stage: 'boots' };
  const fail = (at: BootOutcome): void => {
    const order: BootOutcome[] = ['config-invalid', 'qemu-refuses', 'cas-fails', 'guest-panics', 'qemu-aborts', 'boots'];
    if (order.indexOf(at) < order.indexOf(state.stage)) state.stage = at;
  };

  // 1. Machine selection.
  const deprecated = deprecationWarning(config.machine);
  if (deprecated !== null) {
    causes.push(cause(RULE.BOOT_MACHINE_DEPRECATED, 'warning', deprecated, { machine: config.machine.type.name }, 'include/hw/boards.h:MACHINE_VER_DEPRECATION'));
  }

  // 2. Machine init (the interrupt backend) and reset: the caps, then the HPT, then the compat mode.
  const irqRefusal = irqInitCause(config.irq);
  if (irqRefusal !== null) {
    causes.push(irqRefusal);
    fail('qemu-refuses');
  }
  const capCauses = checkCapsAtStartup(host, qemu, {
    caps: config.effectiveCaps,
    cpu: config.cpu.facts,
    maxCpuCompat: config.machine.maxCpuCompat,
    smpThreads: config.smpThreads,
  });
  causes.push(...capCauses);
  if (capCauses.some((c) => c.severity === 'error')) fail('qemu-refuses');
  const tcgThreads = capCauses.some((c) => c.ruleId === RULE.BOOT_TCG_THREADS);

  if (nestedKvmHv && !isa300) {
    // spapr_machine_reset: no radix PATE for a pre-3.00 CPU, so spapr_setup_hpt →
    // spapr_reallocate_hpt → kvmppc_reset_htab gets -EOPNOTSUPP from a nested kvm_hv.
    causes.push(
      cause(
        RULE.NEST_HPT_UNSUPPORTED,
        'error',
        'HPT not supported in nested guests',
        { ...names, ...cpuNames, level: host.level },
        'hw/ppc/spapr.c:spapr_reallocate_hpt',
      ),
    );
    fail('qemu-refuses');
  }
  const compatError = maxCpuCompatResetError(config.cpu.facts.pcrSupported, config.machine.maxCpuCompat, qemu);
  if (compatError !== null) {
    causes.push(cause(RULE.BOOT_COMPAT_PVR, 'error', compatError, { cpu: config.cpu.facts.family, maxCpuCompat: config.machine.maxCpuCompat?.name ?? null }, 'hw/ppc/spapr.c:spapr_machine_reset → ppc_set_compat_all'));
    fail('qemu-refuses');
  }

  // 3. FDT: platform support. From QEMU 6.1 a pre-3.00 CPU on a radix-only level-0 KVM host exits here.
  const platform = platformSupport(host, config);
  const radixOnlyHost = kvm && kvmCap(host, 'KVM_CAP_PPC_MMU_RADIX') === 1 && kvmCap(host, 'KVM_CAP_PPC_MMU_HASH_V3') === 0;
  const hashUnavailableMessage = 'Guest requested unavailable MMU mode (hash).';
  let hashRefusedEarly = false;
  if (!isa300 && radixOnlyHost && host.level === 0 && qemuAtLeast(qemu, '6.1')) {
    causes.push(
      cause(
        RULE.BOOT_HASH_UNAVAILABLE,
        'error',
        hashUnavailableMessage,
        { ...names, ...cpuNames, KVM_CAP_PPC_MMU_RADIX: 1, KVM_CAP_PPC_MMU_HASH_V3: 0 },
        'hw/ppc/spapr.c:spapr_dt_ov5_platform_support → spapr_check_mmu_mode',
      ),
    );
    hashRefusedEarly = true;
    fail('qemu-refuses');
  }
  if (tcgThreads) {
    return { outcome: state.stage, config, configErrors: [], platformSupport: null, offer: null, request: null, contract: null, causes };
  }

  // 4. CAS.
  const offer = qemuOv5Offer(host, config);
  causes.push(
    cause(
      RULE.INFO_RADIX_OV5,
      'info',
      offer.radix
        ? `QEMU offers radix${offer.gtse ? ' and GTSE' : ' without GTSE'} (ov5 byte24 0x40${offer.gtse ? ', byte26 0x40' : ''})`
        : `QEMU does not offer radix: ${isa300 ? 'KVM_CAP_PPC_MMU_RADIX=0' : 'CPU/compat below ISA 3.00'}`,
      { radix: offer.radix, gtse: offer.gtse, accelerator: host.accelerator, isa300 },
      'hw/ppc/spapr.c:spapr_machine_init',
    ),
  );
  const features = kernelFeatures(guest.kernel);
  const request = linuxCasRequest(features, guest.kernel.cmdline, guest.kernel.release, platform);
  const pvr = negotiatePvr(config, features.logicalPvrs);
  if (!pvr.ok) {
    // One cause, one ID (rules.md Precedence): QEMU's BOOT-CAS-PVR refusal, told with the guest's list it comes from.
    causes.push(
      cause(
        RULE.CAS_PVR_NEGOTIATION,
        'error',
        "Couldn't negotiate a suitable PVR during CAS",
        {
          mc: cpuNames.mc,
          pvr: config.cpu.pvr !== null ? formatPvr(config.cpu.pvr) : formatPvr(FAMILY_RAW_PVR[config.cpu.facts.family]),
          raw: pvr.rawListed ? 'disallowed by max-cpu-compat' : 'not listed',
          logicalPvrs: (features.logicalPvrs ?? []).map(formatPvr).join(','),
          sameCauseAs: RULE.BOOT_CAS_PVR,
        },
        'hw/ppc/spapr_hcall.c:cas_check_pvr, do_client_architecture_support',
      ),
    );
    fail('cas-fails');
  }
  // spapr_check_mmu_mode(false) from do_client_architecture_support; past it, the HPT QEMU sets up for the hash guest
  // (spapr_setup_hpt), which a nested kvm_hv refuses whatever caps its snapshot reports (KVM_PPC_ALLOCATE_HTAB:
  // -EOPNOTSUPP, "If we're a nested hypervisor, we currently only support radix"). Either way an L2 that asks hash
  // at CAS is NEST-HASH-L2 (rules.md Precedence).
  const hashAtCas = request.mmu === 'hash' && !hashRefusedEarly && !(nestedKvmHv && !isa300);
  const hashRefusal = !hashAtCas
    ? null
    : radixOnlyHost
      ? { message: hashUnavailableMessage, source: 'hw/ppc/spapr.c:spapr_check_mmu_mode' }
      : nestedKvmHv
        ? { message: 'HPT not supported in nested guests', source: 'hw/ppc/spapr.c:do_client_architecture_support → spapr_setup_hpt → spapr_reallocate_hpt' }
        : null;
  if (hashRefusal !== null) {
    causes.push(
      cause(
        nestedKvmHv ? RULE.NEST_HASH_L2 : RULE.BOOT_HASH_UNAVAILABLE,
        'error',
        hashRefusal.message,
        {
          ...names,
          ...cpuNames,
          kernel: features.radix ? 'radix in kernel' : 'no radix in kernel',
          level: host.level,
          gtseOptional: features.gtseOptional,
          platformByte24: platform.byte24,
          platformByte26: platform.byte26,
        },
        hashRefusal.source,
      ),
    );
    fail('cas-fails');
  }
  if (request.disableRadixIgnored) {
    causes.push(
      cause(
        RULE.BOOT_DISABLE_RADIX_IGNORED,
        'warning',
        'WARNING: Ignoring cmdline option disable_radix',
        { platformByte24: platform.byte24 },
        'arch/powerpc/kernel/prom_init.c:prom_parse_mmu_model; arch/powerpc/mm/init_64.c:early_check_vec5',
      ),
    );
  }
  const negotiated = offer.vector.intersect(request.vector);
  const reading = readOv5(negotiated);
  causes.push(
    cause(
      RULE.CAS_MMU_NEGOTIATED,
      'info',
      `CAS: guest asks ${request.mmu} (platform-support byte24=0x${hex2(platform.byte24)}, disable_radix=${request.cmdline.disableRadix}); negotiated mmu=${reading.mmu}, gtse=${reading.gtse ? 1 : 0}`,
      { requested: request.mmu, mmu: reading.mmu, pb24: hex2(platform.byte24), dr: request.cmdline.disableRadix, gtse: reading.gtse ? 1 : 0, radixHcallInvalidate: request.cmdline.radixGtseDisable, platformByte26: platform.byte26 },
      'arch/powerpc/kernel/prom_init.c:prom_check_platform_support; hw/ppc/spapr_hcall.c:do_client_architecture_support',
    ),
  );
  causes.push(...form2Causes(config, offer.vector, negotiated));
  const xiveEmulated = nestedXiveCause(host, config.irq, reading.xive);
  if (xiveEmulated !== null) {
    causes.push(xiveEmulated);
    // kernel-irqchip=on: ic-mode=xive connects at the first reset, dual when CAS switches to XIVE.
    if (xiveEmulated.severity === 'error') fail(config.irq.mode === 'xive' ? 'qemu-refuses' : 'cas-fails');
  }
  if (state.stage === 'qemu-refuses' || state.stage === 'cas-fails') {
    return { outcome: state.stage, config, configErrors: [], platformSupport: platform, offer: offer.vector.toHex(), request: request.vector.toHex(), contract: null, causes };
  }

  // 5. The guest kernel: pSeries_setup_arch (since v5.9).
  const rpti = (config.effectiveCaps['rpt-invalidate'] ?? 0) === 1;
  if (reading.mmu === 'radix' && !reading.gtse && features.gtseOptional && !rpti) {
    causes.push(
      cause(
        RULE.BOOT_NO_GTSE_NO_RPTI,
        'error',
        'BUG: Radix support requires either GTSE or RPT_INVALIDATE',
        { c: 'off', gtse: false, radixHcallInvalidate: request.cmdline.radixGtseDisable, gtseOffered: offer.gtse },
        'arch/powerpc/platforms/pseries/setup.c:pSeries_setup_arch',
      ),
    );
    fail('guest-panics');
  }
  // 6. pseries_setup_security_mitigations: the guest asks QEMU H_GET_CPU_CHARACTERISTICS.
  const hcallAbort = cpuCharacteristicsAbort(config.effectiveCaps);
  if (hcallAbort !== null) {
    causes.push(hcallAbort);
    fail('qemu-aborts');
  }
  // 7. init: it runs last, so a failure before it owns the outcome (the cause is still reported).
  const noVsx = userspaceWithoutVsx(guest.kernel.release, config.effectiveCaps);
  if (noVsx !== null) {
    causes.push(noVsx);
    if (state.stage === 'boots') fail('guest-panics');
  }
  const compat = pvr.compatPvr !== 0 ? compatByPvr(pvr.compatPvr, qemu) : null;
  const contract: CasContract = {
    machineType: config.machine.type.name,
    mmu: reading.mmu,
    gtse: reading.gtse,
    compatPvr: pvr.compatPvr,
    compatMode: compat?.name ?? null,
    xive: reading.xive,
    form2: reading.form2,
    ov5: negotiated.toHex(),
    effectiveCaps: config.effectiveCaps,
  };
  // L0 imposes the level-1 guest's LPCR[GTSE] on KVM-HV guests at any depth at H_ENTER_NESTED (load_l2_hv_regs);
  // a guest that QEMU TCG emulates inside L1 runs with the LPCR its own H_REGISTER_PROC_TBL set (spapr_set_all_lpcrs).
  if (host.level >= 1 && host.accelerator === 'kvm-hv' && host.parent !== undefined) {
    const nested = checkNestedGtse(host.parent, contract, { ...host, guestId: names.g });
    causes.push(...nested, ...checkNestedCompat(host.parent, host, config));
    if (nested.some((c) => c.severity === 'error')) fail('guest-panics');
  }
  return { outcome: state.stage, config, configErrors: [], platformSupport: platform, offer: offer.vector.toHex(), request: request.vector.toHex(), contract, causes };
}
