import type { Cause } from '../caps/cause';
import { MigrationOutcome, predictMigration } from '../cas/migrate';
import type { CasHost } from '../cas/negotiate';
import { UNNAMED } from '../caps/host-facts';
import { FieldError, fieldError } from '../field-error';
import { casHostOf } from '../fleet/cas-host';
import type { FleetView } from '../fleet/fleet-view';
import { hostRunsInside, isFieldError, runningGuest, usableHost } from '../fleet/fleet-lookups';
import type { GuestState } from '../fleet/guest.state';
import type { HostState } from '../fleet/host.state';
import { err, ok, Result } from '../result';
import { RULE } from '../rules/rule-ids';
import { AnswerContext, stackEvidence } from './answer-context';
import { guestEvidence } from './evidence';
import { Evidence, Finding, findingOf, rankFindings, Verdict, verdictOf } from './finding';

export interface MigrationOverrides {
  readonly machine?: string;
  readonly cpu?: string;
}

export interface MigrationAnswer {
  readonly question: { readonly kind: 'migration'; readonly guestId: string; readonly fromHostId: string; readonly toHostId: string } & MigrationOverrides;
  readonly verdict: Verdict;
  readonly outcome: MigrationOutcome | 'unknown';
  readonly findings: readonly Finding[];
  readonly position: number;
}

/** A guest whose boot was predicted to fail and never observed: no migration can be judged. */
export const contractUnknown = (guest: GuestState): Cause => ({
  ruleId: RULE.GUEST_CONTRACT_UNKNOWN,
  severity: 'error',
  cap: null,
  message: `guest ${guest.guestId} has no known CAS contract (its boot was predicted to fail and nothing was observed): record its boot with observed.ov5`,
  hint: null,
  values: { guest: guest.guestId },
  source: 'SPEC §2.2 (observed)',
});

/**
 * One guest to one destination host, before evidence: the pure comparison `destinations` and `audit` make once
 * per capability class (the causes depend on the hosts' capabilities, the evidence on which host and when).
 */
export const migrationCauses = (view: FleetView, guest: GuestState, destination: CasHost, overrides: MigrationOverrides = {}): { outcome: MigrationOutcome | 'unknown'; causes: Cause[] } => {
  const source = view.host(guest.hostId);
  if (!guest.contract || !source) return { outcome: 'unknown', causes: [contractUnknown(guest)] };
  const prediction = predictMigration({ host: source.snapshot, guest: guest.configuration, contract: guest.contract }, { host: destination, ...overrides });
  const gtseFromKvm = [source.snapshot, destination]
    .filter((h) => h.qemu.gtseFromKvm === true && !prediction.causes.some((c) => c.ruleId === RULE.CAS_GTSE_FROM_KVM))
    .map((h) => ({
      ruleId: RULE.CAS_GTSE_FROM_KVM,
      severity: 'info' as const,
      cap: null,
      message: `host ${h.hostId ?? UNNAMED} has qemu.gtseFromKvm: modelling the unmerged 2022 KVM_CAP_PPC_GTSE proposal; no released QEMU or kernel does this`,
      hint: null,
      values: { host: h.hostId ?? UNNAMED, KVM_CAP_PPC_GTSE: h.kvm?.caps.KVM_CAP_PPC_GTSE ?? 0 },
      source: 'qemu-devel RFC 20220309012400.2527157-1-farosas@linux.ibm.com',
    }));
  return { outcome: prediction.outcome, causes: rankFindings([...prediction.causes, ...gtseFromKvm]) };
};

/** The evidence a migration answer rests on: the guest's boot and both hosts' stacks. */
const migrationEvidence = (ctx: AnswerContext, guest: GuestState, destination: HostState): Evidence[] => {
  const source = ctx.view.host(guest.hostId);
  return [guestEvidence(guest, ctx.now), ...(source ? stackEvidence(ctx, source) : []), ...stackEvidence(ctx, destination)];
};

/** `check migration`: can running guest `guestId` move to `toHostId` now, keeping its contract (SPEC §1.2). */
export const checkMigration = (ctx: AnswerContext, guestId: string, toHostId: string, overrides: MigrationOverrides = {}): Result<MigrationAnswer, FieldError[]> => {
  const guest = runningGuest(ctx.view, guestId, 'migrates');
  if (isFieldError(guest)) return err([{ ...guest, field: 'guest' }]);
  if (guest.hostId === toHostId) return err([fieldError('to', `is guest ${guestId}'s current host`)]);
  if (hostRunsInside(ctx.view, toHostId, guestId)) return err([fieldError('to', `runs inside guest ${guestId} itself`)]);
  const destination = usableHost(ctx.view, toHostId, 'to');
  if (isFieldError(destination)) return err([destination]);
  const { outcome, causes } = migrationCauses(ctx.view, guest, casHostOf(ctx.view, destination), overrides);
  const evidence = migrationEvidence(ctx, guest, destination);
  const findings = causes.map((c) => findingOf(c, evidence));
  return ok({
    question: { kind: 'migration', guestId, fromHostId: guest.hostId, toHostId, ...overrides },
    verdict: verdictOf(findings),
    outcome,
    findings,
    position: ctx.position,
  });
};
