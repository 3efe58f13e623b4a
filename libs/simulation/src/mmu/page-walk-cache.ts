/**
 * A hardware thread's page-walk cache: non-leaf entries of process-scoped radix trees, tagged with LPID and
 * PID (domain/mmu.md §2). An entry says "the directory at `depth` covering `prefix` points to `nlb`", which
 * lets a walk start below the root. Partition-scoped walks are not cached (a named gap: their invalidation
 * goes through the same LPID-wide flushes the model already performs for combined TLB entries).
 */
import { TableAddress } from '../radix/table-memory';

export interface PwcEntry {
  readonly lpid: number;
  readonly pid: number;
  readonly depth: number;
  /** EA prefix the directory entry covers. */
  readonly prefix: number;
  /** Cached NLB: the table the next level is read from. */
  readonly nlb: TableAddress;
}

function key(lpid: number, pid: number, depth: number, prefix: number): string {
  return `${lpid}:${pid}:${depth}:${prefix}`;
}

export class PageWalkCache {
  private readonly entries = new Map<string, PwcEntry>();

  lookup(lpid: number, pid: number, depth: number, prefix: number): PwcEntry | undefined {
    return this.entries.get(key(lpid, pid, depth, prefix));
  }

  insert(entry: PwcEntry): void {
    this.entries.set(key(entry.lpid, entry.pid, entry.depth, entry.prefix), entry);
  }

  /** Removes the matching entries and returns them (the fault injection may want to put them back). */
  takeWhere(predicate: (entry: PwcEntry) => boolean): PwcEntry[] {
    const taken: PwcEntry[] = [];
    for (const [k, entry] of this.entries) {
      if (predicate(entry)) {
        this.entries.delete(k);
        taken.push(entry);
      }
    }
    return taken;
  }

  all(): IterableIterator<PwcEntry> {
    return this.entries.values();
  }
}
