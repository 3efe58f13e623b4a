/**
 * The safety property (issue 5; domain/mmu.md §6): after an invalidation completes, no TLB, page-walk-cache
 * or shadow (nested) entry may translate a mapping that was removed — a stale translation is memory
 * corruption, because the page or table it points to is reused.
 *
 * The monitor records each removal the guest makes and, when the guest's invalidation for it completes
 * (the point where Linux would free the page or the table), checks every cache entry overlapping it.
 * `check` is the same property over all entries at once: every entry is current, or covered by a removal
 * whose invalidation has not completed yet.
 */
import { pageBytes } from '../isa/page-size';
import { isPwcEntryCurrent, isTlbEntryCurrent } from '../machine/current-translation';
import { Machine } from '../machine/machine';
import { PwcEntry } from '../mmu/page-walk-cache';
import { TlbEntry } from '../mmu/tlb';
import { RADIX_EA_BITS } from '../radix/radix-geometry';
import { tableGeneration } from '../radix/table-memory';
import { overlaps, RemovedMapping } from './removed-mapping';
import { assertNever } from '../assert-never';
import { LeafEntry } from '../radix/radix-entry';

export type StaleTranslation =
  | { readonly cache: 'tlb'; readonly thread: number; readonly entry: TlbEntry }
  | { readonly cache: 'pwc'; readonly thread: number; readonly entry: PwcEntry }
  | { readonly cache: 'shadow'; readonly lpid: number; readonly gRaddr: number; readonly entry: LeafEntry };

function pwcSpan(machine: Machine, entry: PwcEntry): number {
  const tree = machine.partitions.get(entry.lpid)?.processTable?.get(entry.pid);
  return tree ? tree.geometry[entry.depth].span : 2 ** RADIX_EA_BITS;
}

function tlbCovered(entry: TlbEntry, mapping: RemovedMapping): boolean {
  if (entry.lpid !== mapping.lpid) return false;
  const size = pageBytes(entry.pageSize);
  switch (mapping.scope) {
    case 'process':
      return entry.pid === mapping.pid && overlaps(entry.ea, entry.ea + size, mapping.start, mapping.end);
    case 'partition':
      return overlaps(entry.gRaddr, entry.gRaddr + size, mapping.start, mapping.end);
    default:
      return assertNever(mapping);
  }
}

function pwcCovered(machine: Machine, entry: PwcEntry, mapping: RemovedMapping): boolean {
  return (
    mapping.scope === 'process' &&
    entry.lpid === mapping.lpid &&
    entry.pid === mapping.pid &&
    overlaps(entry.prefix, entry.prefix + pwcSpan(machine, entry), mapping.start, mapping.end)
  );
}

function shadowCovered(lpid: number, gRaddr: number, leaf: LeafEntry, mapping: RemovedMapping): boolean {
  return mapping.scope === 'partition' && mapping.lpid === lpid && overlaps(gRaddr, gRaddr + pageBytes(leaf.pageSize), mapping.start, mapping.end);
}

function isShadowCurrent(machine: Machine, lpid: number, gRaddr: number, leaf: LeafEntry): boolean {
  const now = machine.partitions.get(lpid)?.partitionScoped.authoritative(gRaddr);
  return now !== undefined && now.raddr === leaf.raddr && (now.writable || !leaf.writable);
}

/**
 * Cache entries found current while no table has changed since (`tableGeneration`): whether an entry is current
 * depends on the tables alone (an entry is immutable, a shadow leaf cached under one guest-real page), so they
 * still are and need no walk. Any table allocated, written or freed forgets them all.
 */
class CurrentSinceTablesChanged {
  private generation = -1;
  private entries = new WeakMap<object, number>();

  holds(entry: object, at: number, isCurrent: () => boolean): boolean {
    if (this.generation !== tableGeneration()) {
      this.generation = tableGeneration();
      this.entries = new WeakMap();
    }
    if (this.entries.get(entry) === at) return true;
    const current = isCurrent();
    if (current) this.entries.set(entry, at);
    return current;
  }
}

/** Every stale entry in `machine` that `selects` picks, in thread order: TLB, then PWC, then shadow. */
function findStale(
  machine: Machine,
  current: CurrentSinceTablesChanged,
  selectsTlb: (entry: TlbEntry) => boolean,
  selectsPwc: (entry: PwcEntry) => boolean,
  selectsShadow: (lpid: number, gRaddr: number, leaf: LeafEntry) => boolean,
): StaleTranslation | undefined {
  for (const thread of machine.threads) {
    for (const entry of thread.tlb.all()) {
      if (selectsTlb(entry) && !current.holds(entry, 0, () => isTlbEntryCurrent(machine, entry))) return { cache: 'tlb', thread: thread.index, entry };
    }
    for (const entry of thread.pwc.all()) {
      if (selectsPwc(entry) && !current.holds(entry, 0, () => isPwcEntryCurrent(machine, entry))) return { cache: 'pwc', thread: thread.index, entry };
    }
  }
  for (const [lpid, partition] of machine.partitions) {
    for (const { gRaddr, leaf } of partition.partitionScoped.cached?.() ?? []) {
      if (selectsShadow(lpid, gRaddr, leaf) && !current.holds(leaf, gRaddr, () => isShadowCurrent(machine, lpid, gRaddr, leaf))) {
        return { cache: 'shadow', lpid, gRaddr, entry: leaf };
      }
    }
  }
  return undefined;
}

export class SafetyMonitor {
  private pending: RemovedMapping[] = [];
  private readonly current = new CurrentSinceTablesChanged();

  removed(mapping: RemovedMapping): void {
    this.pending.push(mapping);
  }

  /** The invalidation for `mappings` completed: nothing may still translate them. */
  completed(machine: Machine, mappings: readonly RemovedMapping[]): StaleTranslation | undefined {
    this.pending = this.pending.filter((mapping) => !mappings.includes(mapping));
    const stillPending = (covered: (mapping: RemovedMapping) => boolean) => this.pending.some(covered);
    return findStale(
      machine,
      this.current,
      (entry) => mappings.some((m) => tlbCovered(entry, m)) && !stillPending((m) => tlbCovered(entry, m)),
      (entry) => mappings.some((m) => pwcCovered(machine, entry, m)) && !stillPending((m) => pwcCovered(machine, entry, m)),
      (lpid, gRaddr, leaf) =>
        mappings.some((m) => shadowCovered(lpid, gRaddr, leaf, m)) && !stillPending((m) => shadowCovered(lpid, gRaddr, leaf, m)),
    );
  }

  /** The whole property at once: every entry is current or covered by a removal still being invalidated. */
  check(machine: Machine): StaleTranslation | undefined {
    return findStale(
      machine,
      this.current,
      (entry) => !this.pending.some((m) => tlbCovered(entry, m)),
      (entry) => !this.pending.some((m) => pwcCovered(machine, entry, m)),
      (lpid, gRaddr, leaf) => !this.pending.some((m) => shadowCovered(lpid, gRaddr, leaf, m)),
    );
  }
}
