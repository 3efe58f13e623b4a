import fc from 'fast-check';
import type { FleetCommand } from '../fleet/fleet.commands';
import { isFieldError, usableHost } from '../fleet/fleet-lookups';
import type { GuestState } from '../fleet/guest.state';
import { decide } from '../fleet/fleet.decider';
import { InMemoryFleet } from '../fleet/in-memory-fleet';
import { fleetCommandSequence } from '../testing/arbitraries';
import { decidedFleet } from '../testing/decided-fleet';
import { aBoot, aHost } from '../testing/fleet-fixtures';
import { checkBoot } from './boot-check';
import { checkMigration } from './migration-check';
import { checkNesting } from './nesting-check';
import { FleetIndex } from './fleet-index';

const now = '2026-12-01T00:00:00Z';
const fleetOf = (commands: FleetCommand[]): InMemoryFleet => decidedFleet(commands, { strict: false });
const ctx = (view: InMemoryFleet) => ({ view, position: view.position, now });
const indexOf = (fleet: InMemoryFleet) => new FleetIndex(fleet, fleet.hosts.values(), fleet.guests.values());
const running = (fleet: InMemoryFleet) => [...fleet.guests.values()].filter((g) => g.status === 'running');
const valueOf = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

/** The same generator's history with every host and guest ID prefixed: hosts like the fleet's, none of its IDs. */
const renamed = (commands: FleetCommand[], prefix: string): FleetCommand[] => {
  const ids = new Set(['hostId', 'toHostId', 'guestId', 'parentGuestId']);
  return commands.map((c) => ({ ...c, data: Object.fromEntries(Object.entries(c.data).map(([k, v]) => [k, ids.has(k) && typeof v === 'string' ? `${prefix}${v}` : v])) }) as FleetCommand);
};

/** Every question about the fleet's own hosts and guests, as answered on `fleet` (positions left out: the log grew). */
const answersAbout = (fleet: InMemoryFleet, hostIds: readonly string[], guestIds: readonly string[]) => {
  const index = indexOf(fleet);
  const audit = index.audit({ position: fleet.position, now });
  return {
    destinations: guestIds.map((g) => {
      const classes = valueOf(index.destinations(g, { position: fleet.position, now })).classes;
      return hostIds.map((h) => classes.find((c) => c.hostIds.includes(h))?.verdict ?? 'not a destination');
    }),
    auditFindings: audit.findings.filter((f) => guestIds.includes(f.guestId)),
    boot: hostIds.flatMap((h) => guestIds.map((g) => checkBoot(ctx(fleet), h, fleet.guest(g)!.configuration)).map((a) => (a.ok ? [a.value.verdict, a.value.findings] : a.error))),
    nesting: guestIds.map((g) => checkNesting(ctx(fleet), g)).map((a) => (a.ok ? [a.value.verdict, a.value.findings] : a.error)),
  };
};

describe('When destinations are grouped into capability classes', () => {
  it('every host gets exactly the verdict a direct check of that one migration gives', () => {
    fc.assert(
      fc.property(fleetCommandSequence(60, 25), (commands) => {
        const fleet = fleetOf(commands);
        const index = indexOf(fleet);
        for (const guest of running(fleet)) {
          for (const cls of valueOf(index.destinations(guest.guestId, { position: fleet.position, now })).classes) {
            for (const hostId of cls.hostIds) expect(valueOf(checkMigration(ctx(fleet), guest.guestId, hostId)).verdict).toBe(cls.verdict);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('no answer about the fleet changes when unrelated hosts and guests are added (they may join its classes)', () => {
    fc.assert(
      fc.property(fleetCommandSequence(40, 15), fleetCommandSequence(30, 5), (commands, others) => {
        const before = fleetOf(commands);
        const after = fleetOf([...commands, ...renamed(others, 'other-')]);
        const hostIds = [...before.hosts.keys()];
        const guestIds = running(before).map((g) => g.guestId);
        expect(answersAbout(after, hostIds, guestIds)).toEqual(answersAbout(before, hostIds, guestIds));
      }),
      { numRuns: 100 },
    );
  });

  it('migration to a host identical to the one the guest runs on is safe, migrated guests included', () => {
    let migrated = 0;
    // A placement the rules refuse may still be recorded (facts are facts): its twin refuses it just the same. A host
    // whose parent guest has stopped (or that is retired) takes no one, twin or not.
    const acceptedWhereItRuns = (fleet: InMemoryFleet) => (g: GuestState) =>
      g.contract !== null && !isFieldError(usableHost(fleet, g.hostId, 'host')) && valueOf(checkBoot(ctx(fleet), g.hostId, g.configuration)).verdict !== 'unsafe';
    fc.assert(
      fc.property(fleetCommandSequence(50, 20), (commands) => {
        const fleet = fleetOf(commands);
        for (const guest of running(fleet).filter(acceptedWhereItRuns(fleet))) {
          const host = fleet.host(guest.hostId)!;
          const copy = fleetOf(commands);
          const twinId = `twin-of-${host.hostId}`;
          copy.apply(valueOf(decide({ type: 'RecordHostSnapshot', data: { ...host.snapshot, hostId: twinId } }, copy)).event);
          const answer = valueOf(checkMigration(ctx(copy), guest.guestId, twinId));
          expect(answer.findings.filter((f) => f.severity !== 'info')).toEqual([]);
          if (guest.migrations > 0) migrated++;
        }
      }),
      { numRuns: 80 },
    );
    expect(migrated).toBeGreaterThan(0);
  });
});

describe('When a guest in the middle of a nested stack stopped', () => {
  // g on l0 ⊃ host m ⊃ guest q ⊃ host n ⊃ guest p ⊃ host h; q stops, p's record still reads running.
  const NESTED = { machine: 'pseries-7.2,cap-nested-hv=on' };
  const hypervisor = (hostId: string, level: number, parentGuestId: string, minute: number) =>
    aHost({ hostId, level, parentGuestId, observedAt: `2026-11-24T11:${minute}:00Z`, kvm: { ...aHost().kvm!, caps: { ...aHost().kvm!.caps, KVM_CAP_PPC_MMU_HASH_V3: 0 } } });
  const fleet = decidedFleet([
    { type: 'RecordHostSnapshot', data: aHost({ hostId: 'l0' }) },
    { type: 'RecordHostSnapshot', data: aHost({ hostId: 'l0-b' }) },
    { type: 'RecordGuestBoot', data: aBoot({ guestId: 'g', hostId: 'l0', ...NESTED }) },
    { type: 'RecordHostSnapshot', data: hypervisor('m', 1, 'g', 10) },
    { type: 'RecordGuestBoot', data: aBoot({ guestId: 'q', hostId: 'm', at: '2026-11-24T11:15:00Z', ...NESTED }) },
    { type: 'RecordHostSnapshot', data: hypervisor('n', 2, 'q', 20) },
    { type: 'RecordGuestBoot', data: aBoot({ guestId: 'p', hostId: 'n', at: '2026-11-24T11:25:00Z', ...NESTED }) },
    { type: 'RecordHostSnapshot', data: hypervisor('h', 3, 'p', 30) },
    { type: 'RecordGuestStop', data: { guestId: 'q', at: '2026-11-24T11:35:00Z' } },
  ]);

  it('no host of the stopped stack is a destination, and destinations agree with a direct check of each host', () => {
    const classes = valueOf(indexOf(fleet).destinations('g', { position: fleet.position, now })).classes;
    expect(classes.flatMap((c) => c.hostIds).sort()).toEqual(['l0-b']);
    for (const hostId of ['n', 'h']) expect(checkMigration(ctx(fleet), 'g', hostId).ok).toBe(false);
  });
});

describe('When nested hosts in different parents form one class', () => {
  const L1_PARENT = { machine: 'pseries-7.2,cap-nested-hv=on,cap-rpt-invalidate=on', kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'console=hvc0 radix_hcall_invalidate=on' } };
  const l1Host = (hostId: string, parentGuestId: string) =>
    aHost({ hostId, level: 1, parentGuestId, observedAt: '2026-11-24T11:00:00Z', kvm: { ...aHost().kvm!, caps: { ...aHost().kvm!.caps, KVM_CAP_PPC_MMU_HASH_V3: 0 } } });
  // Two L1 hypervisors alike in everything but their names, each in its own GTSE=0 parent; a default guest (GTSE=1) runs in each.
  const fleet = fleetOf([
    { type: 'RecordHostSnapshot', data: aHost({ hostId: 'l0' }) },
    { type: 'RecordGuestBoot', data: aBoot({ guestId: 'parent-a', hostId: 'l0', ...L1_PARENT }) },
    { type: 'RecordGuestBoot', data: aBoot({ guestId: 'parent-b', hostId: 'l0', ...L1_PARENT }) },
    { type: 'RecordHostSnapshot', data: l1Host('l1-a', 'parent-a') },
    { type: 'RecordHostSnapshot', data: l1Host('l1-b', 'parent-b') },
    { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm', hostId: 'l0', at: '2026-11-24T12:00:00Z' }) },
    { type: 'RecordGuestBoot', data: aBoot({ guestId: 'l2-a', hostId: 'l1-a', at: '2026-11-24T12:00:00Z' }) },
    { type: 'RecordGuestBoot', data: aBoot({ guestId: 'l2-b', hostId: 'l1-b', at: '2026-11-24T12:00:00Z' }) },
  ]);
  const moment = { position: fleet.position, now };
  const parentsNamed = (f: { values: Record<string, unknown>; message: string; evidence: readonly { subject: string }[] }) => ({
    p: f.values.p,
    parent: f.values.parent,
    h: f.values.h,
    message: ['parent-a', 'parent-b', 'l1-a', 'l1-b'].filter((p) => f.message.includes(p)),
    evidence: f.evidence.map((e) => e.subject).filter((s) => s.includes('parent-')),
  });

  it("they share one class, and each destination finding names its own host's parent", () => {
    const index = indexOf(fleet);
    expect(index.classes.filter((c) => c.hostIds.includes('l1-a') || c.hostIds.includes('l1-b'))).toHaveLength(1);
    const nested = valueOf(index.destinations('vm', moment)).classes.filter((c) => c.hostIds.some((h) => h.startsWith('l1-')));
    expect(nested.map((c) => [c.hostIds, c.verdict])).toEqual([[['l1-a'], 'unsafe'], [['l1-b'], 'unsafe']]);
    for (const [c, own] of [[nested[0], 'parent-a'], [nested[1], 'parent-b']] as const) {
      const errors = c.findings.filter((f) => f.severity === 'error');
      expect(errors.length).toBeGreaterThan(0);
      for (const f of errors) expect(parentsNamed(f)).toEqual({ p: own, parent: own, h: c.hostIds[0], message: [own, c.hostIds[0]], evidence: [`guest ${own}`] });
      expect(c.findings.map((f) => f.ruleId)).toEqual(valueOf(checkMigration(ctx(fleet), 'vm', c.hostIds[0])).findings.map((f) => f.ruleId));
    }
  });

  it("the audit names each guest's own parent in what its reboot would meet", () => {
    const findings = indexOf(fleet).audit(moment).findings.filter((f) => f.ruleId === 'NEST-GTSE-INHERITED');
    expect(findings.map((f) => [f.guestId, f.ruleId, f.values.parent])).toEqual([
      ['l2-a', 'NEST-GTSE-INHERITED', 'parent-a'],
      ['l2-b', 'NEST-GTSE-INHERITED', 'parent-b'],
    ]);
  });
});

describe('When the fleet is audited', () => {
  it('names exactly the guests with at most one safe destination as stranded, with their safe and warn counts', () => {
    fc.assert(
      fc.property(fleetCommandSequence(60, 25), (commands) => {
        const fleet = fleetOf(commands);
        const index = indexOf(fleet);
        const moment = { position: fleet.position, now };
        const expected = running(fleet).flatMap((g) => {
          const { counts } = valueOf(index.destinations(g.guestId, moment));
          return counts.safe <= 1 ? [{ guestId: g.guestId, hostId: g.hostId, safeDestinations: counts.safe, warnDestinations: counts.warn }] : [];
        });
        expect(index.audit(moment).stranded).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('counts hosts for a guest the way destinations does, ranking the audit warn when someone is stranded', () => {
    const fleet = fleetOf([
      { type: 'RecordHostSnapshot', data: aHost({ hostId: 'a' }) },
      { type: 'RecordHostSnapshot', data: aHost({ hostId: 'b' }) },
      { type: 'RecordHostSnapshot', data: aHost({ hostId: 'old', qemu: { version: '5.2.0' } }) },
      { type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-1', hostId: 'a' }) },
    ]);
    const report = indexOf(fleet).audit({ position: fleet.position, now });
    expect(report).toEqual(expect.objectContaining({ verdict: 'warn', guests: 1, hosts: 3, classes: 2 }));
    expect(report.stranded).toEqual([{ guestId: 'vm-1', hostId: 'a', safeDestinations: 1, warnDestinations: 0 }]);
  });
});
