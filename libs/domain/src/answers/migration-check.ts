import type { Cause } from '../caps/cause';
import { MigrationOutcome, migrationFrom } from '../cas/migrate';
import type { CasHost } from '../cas/negotiate';
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

export interface MigrationCauses {
  readonly outcome: MigrationOutcome | 'unknown';
  readonly causes: readonly Cause[];
}

/**
 * One guest to any destination host, before evidence: the pure comparison `destinations` and `audit` make once
 * per capability class (the causes depend on the hosts' capabilities, the evidence on which host and when). The
 * guest's own side is worked out once, when it is given.
 */
export const migrationCausesFrom = (view: FleetView, guest: GuestState): ((destination: CasHost, overrides?: MigrationOverrides) => MigrationCauses) => {
  const source = view.host(guest.hostId);
  if (!guest.contract || !source) {
    const unknown: MigrationCauses = { outcome: 'unknown', causes: [contractUnknown(guest)] };
    return () => unknown;
  }
  const migrateTo = migrationFrom({ host: source.snapshot, guest: guest.configuration, contract: guest.contract });
  return (destination, overrides = {}) => {
    const prediction = migrateTo({ host: destination, ...overrides });
    return { outcome: prediction.outcome, causes: rankFindings(prediction.causes) };
  };
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
  const { outcome, causes } = migrationCausesFrom(ctx.view, guest)(casHostOf(ctx.view, destination), overrides);
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
