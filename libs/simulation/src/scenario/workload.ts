/**
 * The guest workload: a deterministic stream of operations drawn from a seed — map, touch, unmap, protect,
 * flush a whole mm, and (in a nested guest under a Linux L0) L1 taking a guest page away — across several
 * threads and a few processes. Addresses come from a small window so page-table pages are shared, emptied
 * and freed often: that is where page-walk-cache entries go stale.
 */
import { assertNever } from '../assert-never';
import { pageBytes, PageSize } from '../isa/page-size';
import { Prng } from '../prng';
import { Access } from '../mmu/translate';
import { BasePageSize } from '../radix/radix-geometry';

export type WorkloadOp =
  | { readonly kind: 'map'; readonly pid: number; readonly ea: number; readonly pageSize: PageSize; readonly writable: boolean }
  | { readonly kind: 'touch'; readonly thread: number; readonly pid: number; readonly ea: number; readonly access: Access }
  | { readonly kind: 'unmap'; readonly thread: number; readonly pid: number; readonly ea: number }
  | { readonly kind: 'protect'; readonly thread: number; readonly pid: number; readonly ea: number }
  | { readonly kind: 'flush-mm'; readonly thread: number; readonly pid: number }
  | { readonly kind: 'reclaim'; readonly thread: number; readonly gRaddr: number };

export interface MappedPage {
  readonly pid: number;
  readonly ea: number;
  readonly gRaddr: number;
}

export const WORKLOAD_PIDS: readonly number[] = [1, 2, 3];

/** Regions 1G apart (separate PUD entries) from 1 TiB up; pages inside the first 2M of a region share a PTE page. */
const REGION_BASE = 2 ** 40;
const REGION_SPAN = 2 ** 30;
const REGIONS = 3;
const SLOTS = 8;

function eaFor(prng: Prng, pageSize: PageSize): number {
  const region = REGION_BASE + prng.int(REGIONS) * REGION_SPAN;
  return pageSize === '1G' ? region : region + prng.int(SLOTS) * pageBytes(pageSize);
}

export class Workload {
  private readonly prng: Prng;

  constructor(
    seed: number,
    private readonly threads: number,
    private readonly basePageSize: BasePageSize,
  ) {
    this.prng = new Prng(seed);
  }

  /** The next operation, given the pages mapped now and whether an L1 may take guest pages away. */
  next(mapped: readonly MappedPage[], reclaims: boolean): WorkloadOp {
    const prng = this.prng;
    const thread = prng.int(this.threads);
    const kind = prng.weighted([
      ['map', mapped.length < 4 ? 60 : 28],
      ['touch', 36],
      ['unmap', mapped.length > 0 ? 16 : 0],
      ['protect', mapped.length > 0 ? 6 : 0],
      ['flush-mm', 4],
      ['reclaim', reclaims && mapped.length > 0 ? 6 : 0],
    ] as const);
    switch (kind) {
      case 'map': {
        const pageSize = prng.weighted<PageSize>([
          [this.basePageSize, 70],
          ['2M', 20],
          ['1G', 10],
        ]);
        return { kind, pid: prng.pick(WORKLOAD_PIDS), ea: eaFor(prng, pageSize), pageSize, writable: prng.int(4) !== 0 };
      }
      case 'touch': {
        const access: Access = prng.int(3) === 0 ? 'store' : 'load';
        // Mostly mapped pages; sometimes anywhere in the window, where a stale entry would wrongly hit.
        if (mapped.length > 0 && prng.int(5) !== 0) {
          const page = prng.pick(mapped);
          return { kind, thread, pid: page.pid, ea: page.ea + prng.int(16) * 0x1000, access };
        }
        return { kind, thread, pid: prng.pick(WORKLOAD_PIDS), ea: eaFor(prng, this.basePageSize), access };
      }
      case 'unmap':
      case 'protect': {
        const page = prng.pick(mapped);
        return { kind, thread, pid: page.pid, ea: page.ea };
      }
      case 'flush-mm':
        return { kind, thread, pid: prng.pick(WORKLOAD_PIDS) };
      case 'reclaim':
        return { kind, thread, gRaddr: prng.pick(mapped).gRaddr };
      default:
        return assertNever(kind);
    }
  }
}
