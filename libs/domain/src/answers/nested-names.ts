import type { CauseValue } from '../caps/cause';
import type { CasHost } from '../cas/negotiate';
import { nestedParentOf } from '../fleet/cas-host';
import type { FleetView } from '../fleet/fleet-view';
import type { HostState } from '../fleet/host.state';
import { memoPerObject } from '../object-memo';
import type { RenderedCause } from './finding';

/** The names a nested host's facts carry: its own, its parent guest's, the level-1 guest's, L0's and L0's kernel. */
export type NestedNames = Readonly<Record<'host' | 'parent' | 'l1' | 'l0' | 'l0Kernel', string>>;

/** What stands for each name in a class's facts: no rule reads a name, so a class shares its verdicts, not its names. */
const STAND_IN: NestedNames = { host: '\u0001host\u0001', parent: '\u0001parent\u0001', l1: '\u0001l1\u0001', l0: '\u0001l0\u0001', l0Kernel: '\u0001l0-kernel\u0001' };
const STAND_INS = new RegExp(Object.values(STAND_IN).join('|'), 'g');
const NAME_OF = new Map(Object.entries(STAND_IN).map(([k, v]) => [v, k as keyof NestedNames]));

/**
 * A host as the CAS model reads it for its class: its snapshot and, when nested, its parent's facts, with stand-ins
 * for the nested host's names (whether its parent is the level-1 guest itself stays: the messages differ).
 */
export const namelessCasHost = (view: FleetView, host: HostState): CasHost => {
  const p = nestedParentOf(view, host);
  if (!p) return host.snapshot;
  const parent = { ...p, guestId: STAND_IN.parent, l1: { ...p.l1, guestId: p.l1.guestId === p.guestId ? STAND_IN.parent : STAND_IN.l1 }, l0HostId: STAND_IN.l0, l0Kernel: p.l0Kernel === null ? null : STAND_IN.l0Kernel };
  return { ...host.snapshot, hostId: STAND_IN.host, parent };
};

/** The names a nested host's stand-ins take (null for a bare-metal host or one whose parent is unknown). */
export const nestedNamesOf = (view: FleetView, host: HostState): NestedNames | null => {
  const p = nestedParentOf(view, host);
  return p ? { host: host.hostId, parent: p.guestId, l1: p.l1.guestId, l0: p.l0HostId, l0Kernel: p.l0Kernel ?? '' } : null;
};

const fill = (text: string, names: NestedNames): string => text.replace(STAND_INS, (s) => names[NAME_OF.get(s) ?? 'host']);
const fillValue = (v: CauseValue, names: NestedNames): CauseValue => (typeof v === 'string' ? fill(v, names) : v);
const hasStandIn = (f: RenderedCause): boolean =>
  f.quote.includes('\u0001') || (f.hint?.includes('\u0001') ?? false) || Object.values(f.values).some((v) => typeof v === 'string' && v.includes('\u0001'));

const filled = memoPerObject(
  (names: NestedNames, f: RenderedCause): RenderedCause => ({
    ...f,
    message: fill(f.message, names),
    quote: fill(f.quote, names),
    hint: f.hint === null ? null : fill(f.hint, names),
    values: Object.fromEntries(Object.entries(f.values).map(([k, v]) => [k, fillValue(v, names)])),
  }),
  (f: RenderedCause) => [f],
);

/**
 * A class's cause as it reads for one host of the class: the stand-ins in its rendered message, quote, hint and
 * values replaced by that host's names (rendered once per cause, filled once per (cause, host's names)).
 */
export const named = (f: RenderedCause, names: NestedNames | null): RenderedCause => (names && hasStandIn(f) ? filled(names, f) : f);
