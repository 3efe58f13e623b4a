import fc from 'fast-check';
import { InMemoryFleet } from '@spapr/domain';
import { fleetCommandSequence } from '@spapr/domain/testing/arbitraries';
import { aHost } from '@spapr/domain/testing/fleet-fixtures';
import { openFleetStore } from '@spapr/event-store';
import { FleetRecorder } from '../recording/fleet-recorder';
import { parseAsOf } from './as-of';
import { FleetHistory } from './fleet-at';
import { applyWhatIf } from './what-if';

const clock = (start: number) => {
  let t = start;
  return () => new Date((t += 60_000)).toISOString();
};

describe('When the fleet is asked for as of a position', () => {
  it('equals the fleet of a store truncated at that position', () => {
    fc.assert(
      fc.property(fleetCommandSequence(40), fc.nat(), (commands, pick) => {
        const full = openFleetStore(':memory:');
        const now = clock(Date.parse('2026-11-25T00:00:00Z'));
        for (const c of commands) new FleetRecorder(full).record([{ type: c.type, document: c.data }], { actor: 't', now });
        const head = full.events.head().position;
        const n = head === 0 ? 0 : pick % (head + 1);
        const truncated = InMemoryFleet.of([...full.events.readAll(0, n)].map((s) => ({ event: s.event as never, position: s.position })));
        const history = new FleetHistory(full);
        expect(history.fleetAt(history.positionOf({ position: n }))).toEqual(truncated);
      }),
      { numRuns: 100 },
    );
  });

  it('resolves a time to the last event recorded by then', () => {
    const store = openFleetStore(':memory:');
    const recorder = new FleetRecorder(store);
    recorder.record([{ type: 'RecordHostSnapshot', document: aHost() }], { actor: 't', now: () => '2026-11-25T10:00:00.000Z' });
    recorder.record([{ type: 'RecordHostSnapshot', document: aHost({ hostId: 'p9-b' }) }], { actor: 't', now: () => '2026-11-25T11:00:00.000Z' });
    const history = new FleetHistory(store);
    const asOf = parseAsOf('2026-11-25T11:30:00+01:00');
    expect(asOf.ok && history.positionOf(asOf.value)).toBe(1);
    expect(history.positionOf({ position: 99 })).toBe(2);
  });

  it('refuses an as-of that is neither #N nor a zoned time', () => {
    expect(parseAsOf('yesterday')).toEqual({ ok: false, error: expect.objectContaining({ field: '--as-of' }) });
    expect(parseAsOf('2026-11-25T10:00:00')).toEqual(expect.objectContaining({ ok: false }));
  });
});

describe('When hypothetical commands are applied', () => {
  it('changes the copy, never the store, and refuses what recording would refuse', () => {
    const store = openFleetStore(':memory:');
    new FleetRecorder(store).record([{ type: 'RecordHostSnapshot', document: aHost() }], { actor: 't', now: () => '2026-11-25T10:00:00.000Z' });
    const history = new FleetHistory(store);
    const upgraded = applyWhatIf(history.fleetAt(1), [{ type: 'RecordHostSnapshot', document: aHost({ observedAt: '2026-11-25T12:00:00Z', qemu: { version: '8.2.0' } }) }]);
    expect(upgraded.kind === 'applied' && upgraded.fleet.host('p9-a')?.snapshot.qemu.version).toBe('8.2.0');
    expect(store.catalogue.host('p9-a')?.snapshot.qemu.version).toBe('7.2.0');
    expect(store.events.head().position).toBe(1);
    expect(applyWhatIf(history.fleetAt(1), [{ type: 'RetireHost', document: { hostId: 'nowhere', at: '2026-11-25T12:00:00Z' } }])).toEqual({
      kind: 'rejected',
      index: 0,
      errors: [expect.objectContaining({ field: 'hostId' })],
    });
  });
});
