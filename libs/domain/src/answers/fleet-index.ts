import type { Cause } from '../caps/cause';
import { predictBoot } from '../cas/negotiate';
import { casHostOf } from '../fleet/cas-host';
import type { FieldError } from '../field-error';
import { isFieldError, runningGuest } from '../fleet/fleet-lookups';
import type { GuestState } from '../fleet/guest.state';
import type { HostState } from '../fleet/host.state';
import { err, ok, Result } from '../result';
import { AnswerContext, stackEvidence } from './answer-context';
import { capabilityVector, classIdOf } from './capability-class';
import { guestEvidence } from './evidence';
import { Finding, findingOf, rankFindings, Verdict, verdictOf } from './finding';
import { migrationFindings } from './migration-check';

/** Hosts that give every guest the same answer. */
export interface CapabilityClass {
  readonly classId: string;
  readonly vector: string;
  readonly representative: HostState;
  readonly hostIds: readonly string[];
}

export interface DestinationClass {
  readonly classId: string;
  readonly verdict: Verdict;
  readonly outcome: string;
  readonly hostIds: readonly string[];
  readonly findings: readonly Finding[];
}

export interface DestinationsAnswer {
  readonly question: { readonly kind: 'destinations'; readonly guestId: string; readonly hostId: string };
  /** safe if some host is safe, warn if the best is warn, unsafe if none can take it. */
  readonly verdict: Verdict;
  readonly counts: Readonly<Record<Verdict, number>>;
  readonly classes: readonly DestinationClass[];
  readonly position: number;
}

export interface AuditFinding extends Finding {
  readonly guestId: string;
  readonly hostId: string;
  /** `reboot-here`: what the guest's configuration would meet if it booted on its host today. */
  readonly check: 'reboot-here';
}

export interface StrandedGuest {
  readonly guestId: string;
  readonly hostId: string;
  readonly destinations: number;
}

export interface AuditReport {
  readonly verdict: Verdict;
  readonly position: number;
  readonly guests: number;
  readonly hosts: number;
  readonly classes: number;
  readonly findings: readonly AuditFinding[];
  readonly stranded: readonly StrandedGuest[];
}

type Cached = { outcome: string; findings: readonly Cause[] };
const VERDICT_ORDER: Record<Verdict, number> = { safe: 0, warn: 1, unsafe: 2 };

/**
 * The fleet grouped for fleet-wide questions: usable hosts into capability classes, and every (guest contract,
 * class) comparison made once. `destinations` and `audit` then cost classes per guest, not hosts per guest.
 */
export class FleetIndex {
  readonly classes: readonly CapabilityClass[];
  private readonly classOfHost = new Map<string, CapabilityClass>();
  /** Hosts running directly inside each guest (its L1 hypervisors). */
  private readonly hostsInGuest = new Map<string, string[]>();
  private readonly migrations = new Map<string, Cached>();
  private readonly reboots = new Map<string, Cached>();

  constructor(
    private readonly ctx: AnswerContext,
    hosts: Iterable<HostState>,
    private readonly guests: Iterable<GuestState>,
  ) {
    const byVector = new Map<string, { representative: HostState; hostIds: string[] }>();
    for (const host of hosts) {
      if (host.retiredAt || (host.snapshot.parentGuestId && ctx.view.guest(host.snapshot.parentGuestId)?.status !== 'running')) continue;
      const vector = capabilityVector(ctx.view, host);
      const group = byVector.get(vector) ?? { representative: host, hostIds: [] };
      group.hostIds.push(host.hostId);
      byVector.set(vector, group);
    }
    this.classes = [...byVector].map(([vector, g]) => ({ classId: classIdOf(vector), vector, ...g }));
    for (const c of this.classes) for (const h of c.hostIds) this.classOfHost.set(h, c);
    for (const c of this.classes) {
      for (const h of c.hostIds) {
        const parent = ctx.view.host(h)?.snapshot.parentGuestId;
        if (parent) this.hostsInGuest.set(parent, [...(this.hostsInGuest.get(parent) ?? []), h]);
      }
    }
  }

  /** What a guest's migrations depend on: its QEMU configuration, its contract, and the class it runs on. */
  private guestKey(guest: GuestState, configKey: string = JSON.stringify(guest.configuration)): string {
    return `${configKey}\u0000${JSON.stringify(guest.contract)}\u0000${this.classOfHost.get(guest.hostId)?.classId ?? guest.hostId}`;
  }

  /** Hosts the guest cannot move to whatever the rules say: the one it is on, and every host running inside it. */
  private excludedHosts(guest: GuestState): Set<string> {
    const out = new Set([guest.hostId]);
    const pending = [guest.guestId];
    for (let guestId = pending.pop(); guestId !== undefined; guestId = pending.pop()) {
      for (const hostId of this.hostsInGuest.get(guestId) ?? []) {
        if (out.has(hostId)) continue;
        out.add(hostId);
        pending.push(...this.ctx.view.runningGuestsOn(hostId));
      }
    }
    return out;
  }

  private migrationTo(guest: GuestState, key: string, cls: CapabilityClass): Cached {
    const memo = `${key}\u0000${cls.classId}`;
    let cached = this.migrations.get(memo);
    if (!cached) {
      const { outcome, findings } = migrationFindings(this.ctx, guest, cls.representative);
      cached = { outcome, findings: findings.map(({ evidence: _e, remedy: _r, ...cause }) => cause) };
      this.migrations.set(memo, cached);
    }
    return cached;
  }

  destinations(guestId: string): Result<DestinationsAnswer, FieldError[]> {
    const guest = runningGuest(this.ctx.view, guestId, 'migrates');
    if (isFieldError(guest)) return err([{ ...guest, field: 'guest' }]);
    const key = this.guestKey(guest);
    const excluded = this.excludedHosts(guest);
    const classes: DestinationClass[] = [];
    const touched = new Set([...excluded].map((h) => this.classOfHost.get(h)));
    for (const cls of this.classes) {
      // Most classes hold none of the excluded hosts: share their member list instead of copying thousands of IDs.
      const hostIds = touched.has(cls) ? cls.hostIds.filter((h) => !excluded.has(h)) : cls.hostIds;
      if (hostIds.length === 0) continue;
      const { outcome, findings } = this.migrationTo(guest, key, cls);
      const evidence = [guestEvidence(guest, this.ctx.now), ...stackEvidence(this.ctx, cls.representative)];
      const withEvidence = findings.map((c) => findingOf(c, evidence));
      classes.push({ classId: cls.classId, verdict: verdictOf(withEvidence), outcome, hostIds, findings: withEvidence });
    }
    classes.sort((a, b) => VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict] || b.hostIds.length - a.hostIds.length);
    const counts = { safe: 0, warn: 0, unsafe: 0 };
    for (const c of classes) counts[c.verdict] += c.hostIds.length;
    const verdict: Verdict = counts.safe > 0 ? 'safe' : counts.warn > 0 ? 'warn' : 'unsafe';
    return ok({ question: { kind: 'destinations', guestId, hostId: guest.hostId }, verdict, counts, classes, position: this.ctx.position });
  }

  /** Hosts that can take the guest (safe or warn), counted without building the per-class answer. */
  private destinationCount(guest: GuestState, key: string): number {
    const excluded = this.excludedHosts(guest);
    let n = 0;
    for (const cls of this.classes) {
      const cached = this.migrationTo(guest, key, cls);
      if (cached.findings.some((f) => f.severity === 'error')) continue;
      n += cls.hostIds.length;
    }
    for (const h of excluded) {
      const cls = this.classOfHost.get(h);
      if (cls && !this.migrationTo(guest, key, cls).findings.some((f) => f.severity === 'error')) n--;
    }
    return n;
  }

  private rebootHere(guest: GuestState, host: HostState, configKey: string): Cached {
    const memo = `${configKey}\u0000${this.classOfHost.get(host.hostId)?.classId ?? host.hostId}`;
    let cached = this.reboots.get(memo);
    if (!cached) {
      const prediction = predictBoot(casHostOf(this.ctx.view, host), guest.configuration);
      cached = { outcome: prediction.outcome, findings: prediction.causes.filter((c) => c.severity !== 'info') };
      this.reboots.set(memo, cached);
    }
    return cached;
  }

  /**
   * Every running guest and nested stack: what its configuration meets on its own host today (a reboot, or an L2
   * under its L1's GTSE), and how many hosts could take it; guests with 0 or 1 are stranded.
   */
  audit(): AuditReport {
    const findings: AuditFinding[] = [];
    const stranded: StrandedGuest[] = [];
    let guests = 0;
    for (const guest of this.guests) {
      if (guest.status !== 'running') continue;
      guests++;
      const host = this.ctx.view.host(guest.hostId);
      if (!host) continue;
      const evidence = [guestEvidence(guest, this.ctx.now), ...stackEvidence(this.ctx, host)];
      const configKey = JSON.stringify(guest.configuration);
      for (const c of this.rebootHere(guest, host, configKey).findings) findings.push({ ...findingOf(c, evidence), guestId: guest.guestId, hostId: guest.hostId, check: 'reboot-here' });
      const destinations = this.destinationCount(guest, this.guestKey(guest, configKey));
      if (destinations <= 1) stranded.push({ guestId: guest.guestId, hostId: guest.hostId, destinations });
    }
    const ranked = rankFindings(findings);
    const verdict = verdictOf(ranked) === 'safe' && stranded.length > 0 ? 'warn' : verdictOf(ranked);
    return { verdict, position: this.ctx.position, guests, hosts: this.classOfHost.size, classes: this.classes.length, findings: ranked, stranded };
  }
}
