import type { Cause } from '../caps/cause';
import { nestedHostMitigations } from '../caps/cpu-characteristics';
import { SPAPR_CAP_FIXED_NA } from '../caps/spapr-caps';
import { resolveGuestConfig } from '../caps/guest-caps';
import type { GuestSpec } from '../caps/host-facts';
import { BootOutcome, predictBoot } from '../cas/negotiate';
import { kernelAtLeast } from '../cas/kernel-features';
import type { FieldError } from '../field-error';
import { casHostOf } from '../fleet/cas-host';
import { isFieldError, runningGuest } from '../fleet/fleet-lookups';
import type { GuestState } from '../fleet/guest.state';
import type { HostState } from '../fleet/host.state';
import type { HostSnapshot } from '../input/host-snapshot.schema';
import { err, ok, Result } from '../result';
import { RULE } from '../rules/rule-ids';
import { AnswerContext, stackEvidence } from './answer-context';
import { guestEvidence } from './evidence';
import { Finding, findingOf, rankFindings, Verdict, verdictOf } from './finding';

/** One L2 configuration tried inside the would-be L1, with its verdict. */
export interface L2Candidate {
  readonly name: string;
  readonly machine: string;
  readonly cmdline: string;
  readonly verdict: Verdict;
  readonly outcome: BootOutcome;
  readonly findings: readonly Finding[];
}

export interface NestingAnswer {
  readonly question: { readonly kind: 'nesting'; readonly guestId: string; readonly hostId: string };
  readonly verdict: Verdict;
  /** The L1 hypervisor's facts: its recorded snapshot, or derived from the guest's own events. */
  readonly l1: { readonly source: 'recorded' | 'derived'; readonly hostId: string };
  readonly findings: readonly Finding[];
  readonly l2: readonly L2Candidate[];
  readonly position: number;
}

/**
 * What the KVM inside guest P would report, from P's events (SPEC §2.1): P's CPU, the QEMU of the host it runs on,
 * radix only; nested-hv only if P was booted with it; H_RPT_INVALIDATE from kernel 5.14; mitigations are what QEMU
 * parses from the H_GET_CPU_CHARACTERISTICS answer P's QEMU gives from P's caps (`nestedHostMitigations`), not the
 * caps themselves: ibs broken reads as fixed-na and ccf-assist survives only with ibs workaround (conformance
 * KVM probe, N12 and N25; an L1 with cap-cfpc=broken makes its L2's default cfpc fail with the same hint).
 */
const derivedL1Snapshot = (parent: GuestState, host: HostState): HostSnapshot | undefined => {
  const config = resolveGuestConfig(host.snapshot, parent.configuration);
  if (!config.ok || !parent.contract) return undefined;
  const caps = parent.contract.effectiveCaps;
  const nested = (caps['nested-hv'] ?? 0) === 1;
  const tristate = ['broken', 'workaround', 'fixed'] as const;
  const ibsNames = ['broken', 'workaround', 'fixed-ibs', 'fixed-ccd'] as const;
  const m = nestedHostMitigations(caps);
  return {
    hostId: `${parent.guestId}`,
    observedAt: parent.bootedAt,
    level: host.snapshot.level + 1,
    parentGuestId: parent.guestId,
    cpu: { model: config.config.cpu.facts.family as HostSnapshot['cpu']['model'] },
    accelerator: 'kvm-hv',
    kernel: { release: parent.configuration.kernel.release, cmdline: parent.configuration.kernel.cmdline },
    qemu: { version: host.snapshot.qemu.version },
    kvm: {
      caps: {
        KVM_CAP_PPC_MMU_RADIX: 1,
        KVM_CAP_PPC_NESTED_HV: nested ? 1 : 0,
        KVM_CAP_PPC_RPT_INVALIDATE: kernelAtLeast(parent.configuration.kernel.release, 5, 14) ? 1 : 0,
        KVM_CAP_PPC_FWNMI: 1,
        KVM_CAP_PPC_GET_CPU_CHAR: 1,
      },
      nestedEnabled: nested,
      ramPageSizeKiB: host.snapshot.kvm?.ramPageSizeKiB ?? 64,
      mitigations: {
        cfpc: tristate[m.cfpc],
        sbbc: tristate[m.sbbc],
        ibs: m.ibs === SPAPR_CAP_FIXED_NA ? 'fixed-na' : ibsNames[m.ibs],
        'ccf-assist': m.ccfAssist === 1 ? 'on' : 'off',
      },
      ...((caps['large-decr'] ?? 0) === 1 ? { decrBits: config.config.cpu.facts.lrgDecrBits } : {}),
    },
  };
};

/** The L1 kernel that first speaks each nested API to its parent: v1 (`kvmhv_nested_init`) 4.20, v2 (PAPR nested) 6.7. */
const NESTED_API_KERNEL = { v1: [4, 20], v2: [6, 7] } as const;

/** Whether P can run kvm_hv at all (NEST-L1-HASH, NEST-PARENT-NO-NESTED-HV). */
const parentCauses = (parent: GuestState, l0: HostState): Cause[] => {
  const causes: Cause[] = [];
  const contract = parent.contract;
  if (contract?.mmu === 'hash') {
    causes.push({
      ruleId: RULE.NEST_L1_HASH,
      severity: 'error',
      cap: null,
      message: `guest ${parent.guestId} negotiated mmu=hash; kvm_hv cannot load in a hash L1, so it cannot host L2s`,
      hint: 'boot it radix: without disable_radix, on a POWER9 or later CPU/compat',
      values: { g: parent.guestId, mmu: 'hash' },
      source: 'arch/powerpc/kvm/book3s_hv.c:kvmppc_core_check_processor_compat_hv',
    });
  }
  const caps = contract?.effectiveCaps ?? {};
  const api = (caps['nested-papr'] ?? 0) === 1 ? 'v2' : 'v1';
  const offered = (caps['nested-hv'] ?? 0) === 1 || api === 'v2';
  const kernel = parent.configuration.kernel.release;
  const [major, minor] = NESTED_API_KERNEL[api];
  if (!offered || !kernelAtLeast(kernel, major, minor)) {
    causes.push({
      ruleId: RULE.NEST_PARENT_NO_NESTED_HV,
      severity: 'error',
      cap: 'nested-hv',
      message: 'kvm-hv: Parent hypervisor does not support nesting (rc=-2)',
      hint: offered ? `run an L1 kernel ≥ ${major}.${minor} (nested API ${api})` : 'reboot it with -machine cap-nested-hv=on on a host whose KVM_CAP_PPC_NESTED_HV=1',
      values: { p: parent.guestId, l0: l0.hostId, c: (caps['nested-hv'] ?? 0) === 1 ? 'on' : 'off', k: kernel, nestedApi: api },
      source: 'arch/powerpc/kvm/book3s_hv_nested.c:kvmhv_nested_init',
    });
  }
  return causes;
};

/** The L2 configurations an operator would try, on the L1's own machine type and kernel. */
export const l2Configurations = (parent: GuestState): { name: string; spec: GuestSpec }[] => {
  const machine = parent.contract?.machineType ?? parent.configuration.machine.split(',')[0];
  const kernel = parent.configuration.kernel.release;
  const spec = (m: string, cmdline: string): GuestSpec => ({ machine: m, cpu: 'host', kernel: { release: kernel, cmdline } });
  return [
    { name: 'default', spec: spec(machine, 'console=hvc0') },
    { name: 'radix_hcall_invalidate with cap-rpt-invalidate', spec: spec(`${machine},cap-rpt-invalidate=on`, 'console=hvc0 radix_hcall_invalidate=on') },
    { name: 'radix_hcall_invalidate without cap-rpt-invalidate', spec: spec(machine, 'console=hvc0 radix_hcall_invalidate=on') },
    { name: 'hash (disable_radix)', spec: spec(machine, 'console=hvc0 disable_radix') },
    { name: 'nested hypervisor (cap-nested-hv)', spec: spec(`${machine},cap-nested-hv=on`, 'console=hvc0') },
  ];
};

/** `check nesting`: can guest `guestId` act as a nested hypervisor, and which L2 guests may safely boot in it (SPEC §1.3). */
export const checkNesting = (ctx: AnswerContext, guestId: string): Result<NestingAnswer, FieldError[]> => {
  const parent = runningGuest(ctx.view, guestId, 'hosts guests');
  if (isFieldError(parent)) return err([{ ...parent, field: 'guest' }]);
  const host = ctx.view.host(parent.hostId);
  if (!host) return err([{ field: 'guest', reason: `runs on unknown host ${parent.hostId}` }]);
  const recorded = ctx.view.l1HostIn?.(guestId);
  const derived = recorded ? undefined : derivedL1Snapshot(parent, host);
  const l1: HostState | undefined = recorded ?? (derived ? { hostId: derived.hostId, version: 0, snapshot: derived, snapshotPosition: parent.bootPosition, retiredAt: null } : undefined);
  const evidence = [guestEvidence(parent, ctx.now), ...stackEvidence(ctx, host)];
  const findings: Finding[] = rankFindings(parentCauses(parent, host).map((c) => findingOf(c, evidence)));
  const l2 =
    l1 && !findings.some((f) => f.severity === 'error')
      ? l2Configurations(parent).map(({ name, spec }) => {
          const prediction = predictBoot(casHostOf(ctx.view, l1), spec);
          const l2Findings = rankFindings(prediction.causes.map((c) => findingOf(c, stackEvidence(ctx, l1))));
          return { name, machine: spec.machine, cmdline: spec.kernel.cmdline, verdict: verdictOf(l2Findings), outcome: prediction.outcome, findings: l2Findings };
        })
      : [];
  const anyL2 = l2.some((c) => c.verdict !== 'unsafe');
  const verdict = findings.some((f) => f.severity === 'error') || !anyL2 ? 'unsafe' : verdictOf(findings);
  return ok({
    question: { kind: 'nesting', guestId, hostId: parent.hostId },
    verdict,
    l1: { source: recorded ? 'recorded' : 'derived', hostId: l1?.hostId ?? guestId },
    findings,
    l2,
    position: ctx.position,
  });
};
