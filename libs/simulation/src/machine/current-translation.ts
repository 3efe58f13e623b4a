/**
 * What a translation is right now, read from the tables alone (no caches): the reference the safety check
 * compares cache entries with (domain/mmu.md §6 invariant 1).
 */
import { alignDown, PAGE_SHIFT, PageSize, smallerPageSize } from '../isa/page-size';
import { PwcEntry } from '../mmu/page-walk-cache';
import { TlbEntry } from '../mmu/tlb';
import { Machine } from './machine';

export interface CurrentTranslation {
  readonly gRaddr: number;
  readonly hRaddr: number;
  /** The largest page the 2-D translation may be cached at. */
  readonly pageSize: PageSize;
  readonly writable: boolean;
}

export function currentTranslation(machine: Machine, lpid: number, pid: number, ea: number): CurrentTranslation | undefined {
  const partition = machine.partitions.get(lpid);
  const leaf = partition?.processTable?.get(pid)?.lookup(ea);
  if (!partition || !leaf) return undefined;
  const gRaddr = leaf.raddr + (ea - alignDown(ea, leaf.pageSize));
  const host = partition.partitionScoped.authoritative(gRaddr);
  if (!host) return undefined;
  return {
    gRaddr,
    hRaddr: host.raddr + (gRaddr - alignDown(gRaddr, host.pageSize)),
    pageSize: smallerPageSize(leaf.pageSize, host.pageSize),
    writable: leaf.writable && host.writable,
  };
}

/** A TLB entry is current when the tables still give its page, at least its size, and at least its permission. */
export function isTlbEntryCurrent(machine: Machine, entry: TlbEntry): boolean {
  const now = currentTranslation(machine, entry.lpid, entry.pid, entry.ea);
  return (
    now !== undefined &&
    PAGE_SHIFT[entry.pageSize] <= PAGE_SHIFT[now.pageSize] &&
    alignDown(now.gRaddr, entry.pageSize) === entry.gRaddr &&
    alignDown(now.hRaddr, entry.pageSize) === entry.hRaddr &&
    (now.writable || !entry.writable)
  );
}

/** A PWC entry is current when the directory it caches still points to the same next-level table. */
export function isPwcEntryCurrent(machine: Machine, entry: PwcEntry): boolean {
  const tree = machine.partitions.get(entry.lpid)?.processTable?.get(entry.pid);
  return tree?.directoryAt(entry.prefix, entry.depth) === entry.nlb;
}
