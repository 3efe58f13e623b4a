/**
 * A hardware thread's TLB. Entries are tagged as the hardware tags them (domain/mmu.md §2): LPID, PID and
 * page size; for a guest the entry holds the combined 2-D result (EA → host real), so it also remembers the
 * guest real page, which partition-scoped invalidations match on. Entries live until invalidated (no
 * eviction: keeping them is the conservative choice for a stale-translation check).
 * Partition-scoped-only entries (guest real-mode accesses) are not modelled.
 */
import { alignDown, PAGE_SIZES, PageSize } from '../isa/page-size';

export interface TlbEntry {
  readonly lpid: number;
  readonly pid: number;
  /** Extent of this entry: the smaller of the process-scoped and partition-scoped pages. */
  readonly pageSize: PageSize;
  /**
   * Size of the process-scoped page it came from: an IS=0 `tlbie` names that size in AP and must remove
   * every entry derived from that page, whatever size the 2-D result was cached at.
   */
  readonly processPageSize: PageSize;
  /** Base EA of the entry. */
  readonly ea: number;
  /** Base guest real address (equal to hRaddr for the hypervisor's own translations). */
  readonly gRaddr: number;
  /** Base host real address. */
  readonly hRaddr: number;
  readonly writable: boolean;
}

function key(lpid: number, pid: number, pageSize: PageSize, ea: number): string {
  return `${lpid}:${pid}:${pageSize}:${ea}`;
}

export class Tlb {
  private readonly entries = new Map<string, TlbEntry>();

  lookup(lpid: number, pid: number, ea: number): TlbEntry | undefined {
    for (const size of PAGE_SIZES) {
      const entry = this.entries.get(key(lpid, pid, size, alignDown(ea, size)));
      if (entry) return entry;
    }
    return undefined;
  }

  insert(entry: TlbEntry): void {
    this.entries.set(key(entry.lpid, entry.pid, entry.pageSize, entry.ea), entry);
  }

  /** IS=0: exactly the page of this size (an AP naming another size leaves the entry in place). */
  dropPage(lpid: number, pid: number, pageSize: PageSize, ea: number): number {
    return this.entries.delete(key(lpid, pid, pageSize, alignDown(ea, pageSize))) ? 1 : 0;
  }

  dropWhere(predicate: (entry: TlbEntry) => boolean): number {
    let dropped = 0;
    for (const [k, entry] of this.entries) {
      if (predicate(entry)) {
        this.entries.delete(k);
        dropped++;
      }
    }
    return dropped;
  }

  all(): IterableIterator<TlbEntry> {
    return this.entries.values();
  }
}
