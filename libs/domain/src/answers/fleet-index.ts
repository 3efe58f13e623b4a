import type { Cause } from '../caps/cause';
import { migrationSourceKey } from '../cas/migrate';
import { CasHost, predictBoot } from '../cas/negotiate';
import { casHostOf } from '../fleet/cas-host';
import type { FieldError } from '../field-error';
import { isFieldError, runningGuest } from '../fleet/fleet-lookups';
import type { FleetView } from '../fleet/fleet-view';
import type { GuestState } from '../fleet/guest.state';
import type { HostState } from '../fleet/host.state';
import { err, ok, Result } from '../result';
import { AnswerContext, stackEvidence } from './answer-context';
import { CapabilityClass, capabilityClasses } from './capability-class';
import { guestEvidence } from './evidence';
import { Finding, rankFindings, renderedCause, Verdict, verdictOf, withEvidence } from './finding';
import { MigrationCauses, migrationCausesFrom } from './migration-check';
import { named, NestedNames, nestedNamesOf } from './nested-names';

/** When an answer is given: the event position the fleet reflects and the clock ages are measured from. */
export type AnswerMoment = Pick<AnswerContext, 'position' | 'now'>;

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

/** A guest with no safe destination or only one (issue 4); hosts it could reach with warnings are counted apart. */
export interface StrandedGuest {
  readonly guestId: string;
  readonly hostId: string;
  readonly safeDestinations: number;
  readonly warnDestinations: number;
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

type Comparison = { readonly outcome: string; readonly causes: readonly Cause[]; readonly verdict: Verdict };
/** One guest key against each class (in class order), each made on first need from the key's source side. */
type Row = { readonly migrateTo: (destination: CasHost) => MigrationCauses; readonly comparisons: (Comparison | undefined)[] };
type GuestKeys = { readonly configuration: string; readonly migration: string | null };

const VERDICT_ORDER: Record<Verdict, number> = { safe: 0, warn: 1, unsafe: 2 };

/**
 * The fleet grouped for fleet-wide questions: usable hosts into capability classes, and every (guest contract,
 * class) comparison made once, on first need. `destinations` and `audit` then cost classes per distinct guest
 * configuration, not hosts per guest. An index answers for one fleet state; the time of each answer is its own.
 */
export class FleetIndex {
  readonly classes: readonly CapabilityClass[];
  /** Class indices, biggest first: where a guest's second safe destination is likeliest found. */
  private readonly bySize: readonly number[];
  private readonly classOfHost = new Map<string, number>();
  /** Hosts running directly inside each guest (its L1 hypervisors), and the running guests on each of them. */
  private readonly hostsInGuest = new Map<string, string[]>();
  private readonly guestsOnNestedHost = new Map<string, string[]>();
  private readonly running: readonly GuestState[];
  private readonly rows = new Map<string, Row>();
  private readonly reboots = new Map<string, Comparison>();
  private readonly keys = new WeakMap<GuestState, GuestKeys>();
  private readonly names = new Map<string, NestedNames | null>();

  constructor(
    private readonly view: FleetView,
    hosts: Iterable<HostState>,
    guests: Iterable<GuestState>,
  ) {
    this.classes = capabilityClasses(view, hosts);
    this.classes.forEach((c, i) => {
      for (const h of c.hostIds) {
        this.classOfHost.set(h, i);
        const parent = view.host(h)?.snapshot.parentGuestId;
        if (parent) this.hostsInGuest.set(parent, [...(this.hostsInGuest.get(parent) ?? []), h]);
      }
    });
    this.bySize = this.classes.map((_, i) => i).sort((a, b) => this.classes[b].hostIds.length - this.classes[a].hostIds.length);
    this.running = [...guests].filter((g) => g.status === 'running');
    for (const g of this.running) if (view.host(g.hostId)?.snapshot.parentGuestId) this.guestsOnNestedHost.set(g.hostId, [...(this.guestsOnNestedHost.get(g.hostId) ?? []), g.guestId]);
  }

  /**
   * What a guest's answers depend on: its configuration for a reboot where it runs; for a migration, what the model
   * reads of the guest and its host (`migrationSourceKey`), null when its contract or its host is unknown.
   */
  private keysOf(guest: GuestState): GuestKeys {
    let keys = this.keys.get(guest);
    if (!keys) {
      const source = this.view.host(guest.hostId);
      const migration = guest.contract && source ? migrationSourceKey({ host: source.snapshot, guest: guest.configuration, contract: guest.contract }) : null;
      keys = { configuration: JSON.stringify(guest.configuration), migration };
      this.keys.set(guest, keys);
    }
    return keys;
  }

  private rowOf(guest: GuestState): Row {
    const key = this.keysOf(guest).migration;
    let row = key === null ? undefined : this.rows.get(key);
    if (!row) {
      // With no known contract (or host) the row is the guest's own: its one finding names it.
      row = { migrateTo: migrationCausesFrom(this.view, guest), comparisons: new Array<Comparison | undefined>(this.classes.length) };
      if (key !== null) this.rows.set(key, row);
    }
    return row;
  }

  private comparison(row: Row, i: number): Comparison {
    let known = row.comparisons[i];
    if (!known) {
      const { outcome, causes } = row.migrateTo(this.classes[i].casHost);
      known = row.comparisons[i] = { outcome, causes, verdict: verdictOf(causes) };
    }
    return known;
  }

  /** Hosts the guest cannot move to whatever the rules say: the one it is on, and every host running inside it. */
  private excludedHosts(guest: GuestState): Set<string> {
    const out = new Set([guest.hostId]);
    const pending = [guest.guestId];
    for (let guestId = pending.pop(); guestId !== undefined; guestId = pending.pop()) {
      for (const hostId of this.hostsInGuest.get(guestId) ?? []) {
        if (out.has(hostId)) continue;
        out.add(hostId);
        pending.push(...(this.guestsOnNestedHost.get(hostId) ?? []));
      }
    }
    return out;
  }

  destinations(guestId: string, moment: AnswerMoment): Result<DestinationsAnswer, FieldError[]> {
    const guest = runningGuest(this.view, guestId, 'migrates');
    if (isFieldError(guest)) return err([{ ...guest, field: 'guest' }]);
    const ctx = { view: this.view, ...moment };
    const row = this.rowOf(guest);
    const excluded = this.excludedHosts(guest);
    const touched = new Set([...excluded].map((h) => this.classOfHost.get(h)));
    const classes: DestinationClass[] = [];
    const booted = guestEvidence(guest, ctx.now);
    this.classes.forEach((cls, i) => {
      // Most classes hold none of the excluded hosts: share their member list instead of copying thousands of IDs.
      const hostIds = touched.has(i) ? cls.hostIds.filter((h) => !excluded.has(h)) : cls.hostIds;
      if (hostIds.length === 0) return;
      const { outcome, causes, verdict } = this.comparison(row, i);
      // A nested host's findings name it and its parents: each reads the class's causes with its own names.
      for (const group of cls.casHost.parent ? hostIds.map((h) => [h]) : [hostIds]) {
        const host = this.view.host(group[0]);
        const names = host ? this.namesOf(host) : null;
        const evidence = [booted, ...(host ? stackEvidence(ctx, host) : [])];
        classes.push({ classId: cls.classId, verdict, outcome, hostIds: group, findings: causes.map((c) => withEvidence(named(renderedCause(c), names), evidence)) });
      }
    });
    classes.sort((a, b) => VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict] || b.hostIds.length - a.hostIds.length);
    const counts = { safe: 0, warn: 0, unsafe: 0 };
    for (const c of classes) counts[c.verdict] += c.hostIds.length;
    const verdict: Verdict = counts.safe > 0 ? 'safe' : counts.warn > 0 ? 'warn' : 'unsafe';
    return ok({ question: { kind: 'destinations', guestId, hostId: guest.hostId }, verdict, counts, classes, position: moment.position });
  }

  /** The names a host's class-shared causes take for it (its own, its parent guest's, level-1 guest's, L0's), null for L0 hosts. */
  private namesOf(host: HostState): NestedNames | null {
    if (!host.snapshot.parentGuestId) return null;
    let names = this.names.get(host.hostId);
    if (names === undefined) {
      names = nestedNamesOf(this.view, host);
      this.names.set(host.hostId, names);
    }
    return names;
  }

  /**
   * The guest's destinations by verdict when it has at most one safe one (it is stranded), else null: classes are
   * compared from its own (an identical host is safe) then biggest first, and the search stops at the second safe host.
   */
  private strandedCounts(guest: GuestState): Record<Verdict, number> | null {
    const row = this.rowOf(guest);
    const excludedIn = new Map<number, number>();
    for (const h of this.excludedHosts(guest)) {
      const i = this.classOfHost.get(h);
      if (i !== undefined) excludedIn.set(i, (excludedIn.get(i) ?? 0) + 1);
    }
    const counts = { safe: 0, warn: 0, unsafe: 0 };
    const own = this.classOfHost.get(guest.hostId);
    const count = (i: number): boolean => {
      counts[this.comparison(row, i).verdict] += this.classes[i].hostIds.length - (excludedIn.get(i) ?? 0);
      return counts.safe >= 2;
    };
    if (own !== undefined && count(own)) return null;
    for (const i of this.bySize) if (i !== own && count(i)) return null;
    return counts;
  }

  private rebootHere(guest: GuestState, host: HostState): Comparison {
    const i = this.classOfHost.get(host.hostId);
    const memo = `${this.keysOf(guest).configuration}\u0000${i ?? host.hostId}`;
    let cached = this.reboots.get(memo);
    if (!cached) {
      const prediction = predictBoot(i === undefined ? casHostOf(this.view, host) : this.classes[i].casHost, guest.configuration);
      const causes = prediction.causes.filter((c) => c.severity !== 'info');
      cached = { outcome: prediction.outcome, causes, verdict: verdictOf(causes) };
      this.reboots.set(memo, cached);
    }
    return cached;
  }

  /**
   * Every running guest and nested stack: what its configuration meets on its own host today (a reboot, or an L2
   * under its L1's GTSE), and how many hosts could take it; guests with 0 or 1 safe destinations are stranded.
   */
  audit(moment: AnswerMoment): AuditReport {
    const ctx = { view: this.view, ...moment };
    const findings: AuditFinding[] = [];
    const stranded: StrandedGuest[] = [];
    for (const guest of this.running) {
      const host = this.view.host(guest.hostId);
      if (!host) continue;
      const reboot = this.rebootHere(guest, host);
      if (reboot.causes.length > 0) {
        const evidence = [guestEvidence(guest, ctx.now), ...stackEvidence(ctx, host)];
        for (const c of reboot.causes) findings.push({ ...withEvidence(named(renderedCause(c), this.namesOf(host)), evidence), guestId: guest.guestId, hostId: guest.hostId, check: 'reboot-here' });
      }
      const counts = this.strandedCounts(guest);
      if (counts) stranded.push({ guestId: guest.guestId, hostId: guest.hostId, safeDestinations: counts.safe, warnDestinations: counts.warn });
    }
    const ranked = rankFindings(findings);
    const verdict = verdictOf(ranked) === 'safe' && stranded.length > 0 ? 'warn' : verdictOf(ranked);
    return { verdict, position: moment.position, guests: this.running.length, hosts: this.classOfHost.size, classes: this.classes.length, findings: ranked, stranded };
  }
}
