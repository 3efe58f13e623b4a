import type { GuestSpec } from '../caps/host-facts';
import { BootOutcome, CasContract, predictBoot } from '../cas/negotiate';
import type { FieldError } from '../field-error';
import { casHostOf } from '../fleet/cas-host';
import { isFieldError, usableHost } from '../fleet/fleet-lookups';
import { err, ok, Result } from '../result';
import { AnswerContext, stackEvidence } from './answer-context';
import { Finding, findingOf, rankFindings, Verdict, verdictOf } from './finding';

export interface BootAnswer {
  readonly question: { readonly kind: 'boot'; readonly hostId: string; readonly machine: string; readonly cpu: string };
  readonly verdict: Verdict;
  /** How far the boot gets: QEMU start, CAS, the guest kernel. */
  readonly outcome: BootOutcome;
  readonly contract: CasContract | null;
  readonly findings: readonly Finding[];
  readonly position: number;
}

/** `check boot`: can configuration `spec` boot on `hostId`, and what contract would CAS give it (SPEC §1.1). */
export const checkBoot = (ctx: AnswerContext, hostId: string, spec: GuestSpec): Result<BootAnswer, FieldError[]> => {
  const host = usableHost(ctx.view, hostId, 'host');
  if (isFieldError(host)) return err([host]);
  const prediction = predictBoot(casHostOf(ctx.view, host), spec);
  const evidence = stackEvidence(ctx, host);
  const findings = rankFindings(prediction.causes.map((c) => findingOf(c, evidence)));
  return ok({
    question: { kind: 'boot', hostId, machine: spec.machine, cpu: spec.cpu },
    verdict: verdictOf(findings),
    outcome: prediction.outcome,
    contract: prediction.contract,
    findings,
    position: ctx.position,
  });
};
