import { MigrationOutcome, predictMigration } from '../cas/migrate';
import { FieldError, fieldError } from '../field-error';
import { casHostOf } from '../fleet/cas-host';
import { hostRunsInside, isFieldError, runningGuest, usableHost } from '../fleet/fleet-lookups';
import type { GuestState } from '../fleet/guest.state';
import type { HostState } from '../fleet/host.state';
import { err, ok, Result } from '../result';
import { RULE } from '../rules/rule-ids';
import { AnswerContext, stackEvidence } from './answer-context';
import { guestEvidence } from './evidence';
import { Finding, findingOf, rankFindings, Verdict, verdictOf } from './finding';

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

/** One guest to one destination host: the pure comparison `destinations` and `audit` repeat per capability class. */
export const migrationFindings = (ctx: AnswerContext, guest: GuestState, destination: HostState, overrides: MigrationOverrides = {}): { outcome: MigrationOutcome | 'unknown'; findings: Finding[] } => {
  const source = ctx.view.host(guest.hostId);
  const evidence = [guestEvidence(guest, ctx.now), ...(source ? stackEvidence(ctx, source) : []), ...stackEvidence(ctx, destination)];
  if (!guest.contract || !source) {
    const cause = {
      ruleId: RULE.GUEST_CONTRACT_UNKNOWN,
      severity: 'error' as const,
      cap: null,
      message: `guest ${guest.guestId} has no known CAS contract (its boot was predicted to fail and nothing was observed): record its boot with observed.ov5`,
      hint: null,
      values: { guest: guest.guestId },
      source: 'SPEC §2.2 (observed)',
    };
    return { outcome: 'unknown', findings: [findingOf(cause, evidence)] };
  }
  const prediction = predictMigration({ host: source.snapshot, guest: guest.configuration, contract: guest.contract }, { host: casHostOf(ctx.view, destination), ...overrides });
  const gtseFromKvm = [source, destination]
    .filter((h) => h.snapshot.qemu.gtseFromKvm === true && !prediction.causes.some((c) => c.ruleId === RULE.CAS_GTSE_FROM_KVM))
    .map((h) => ({
      ruleId: RULE.CAS_GTSE_FROM_KVM,
      severity: 'info' as const,
      cap: null,
      message: `host ${h.hostId} has qemu.gtseFromKvm: modelling the unmerged 2022 KVM_CAP_PPC_GTSE proposal; no released QEMU or kernel does this`,
      hint: null,
      values: { host: h.hostId, KVM_CAP_PPC_GTSE: h.snapshot.kvm?.caps.KVM_CAP_PPC_GTSE ?? 0 },
      source: 'qemu-devel RFC 20220309012400.2527157-1-farosas@linux.ibm.com',
    }));
  return { outcome: prediction.outcome, findings: rankFindings([...prediction.causes, ...gtseFromKvm].map((c) => findingOf(c, evidence))) };
};

/** `check migration`: can running guest `guestId` move to `toHostId` now, keeping its contract (SPEC §1.2). */
export const checkMigration = (ctx: AnswerContext, guestId: string, toHostId: string, overrides: MigrationOverrides = {}): Result<MigrationAnswer, FieldError[]> => {
  const guest = runningGuest(ctx.view, guestId, 'migrates');
  if (isFieldError(guest)) return err([{ ...guest, field: 'guest' }]);
  if (guest.hostId === toHostId) return err([fieldError('to', `is guest ${guestId}'s current host`)]);
  if (hostRunsInside(ctx.view, toHostId, guestId)) return err([fieldError('to', `runs inside guest ${guestId} itself`)]);
  const destination = usableHost(ctx.view, toHostId, 'to');
  if (isFieldError(destination)) return err([destination]);
  const { outcome, findings } = migrationFindings(ctx, guest, destination, overrides);
  return ok({
    question: { kind: 'migration', guestId, fromHostId: guest.hostId, toHostId, ...overrides },
    verdict: verdictOf(findings),
    outcome,
    findings,
    position: ctx.position,
  });
};
