/**
 * The trace of a simulation: what happened, step by step, in plain data (no classes, no bigint) so the
 * planner can store or print it as JSON.
 */
export type Level = 'L0' | 'L1' | 'L2';

export type TraceEvent =
  | { readonly type: 'qemu-started'; readonly host: string; readonly caps: Readonly<Record<string, boolean>> }
  | { readonly type: 'qemu-refused'; readonly host: string; readonly message: string; readonly source: string }
  | {
      readonly type: 'cas';
      readonly offered: { readonly radix: boolean; readonly gtse: boolean };
      readonly platformSupport: { readonly byte24: number; readonly byte26: number };
      readonly requested: { readonly radix: boolean; readonly gtse: boolean };
      readonly negotiated: { readonly mmu: 'radix' | 'hash'; readonly gtse: boolean };
    }
  | { readonly type: 'kernel-flush-method'; readonly method: 'tlbie' | 'h-rpt-invalidate' }
  | { readonly type: 'pate'; readonly level: Level; readonly lpid: number; readonly pate: string }
  | { readonly type: 'lpcr'; readonly level: Level; readonly lpid: number; readonly lpcr: string; readonly gtse: boolean; readonly why: string }
  | { readonly type: 'hcall'; readonly level: Level; readonly handledBy: Level; readonly name: string; readonly args: readonly number[]; readonly rc: number }
  | { readonly type: 'instruction'; readonly level: Level; readonly thread: number; readonly text: string; readonly result: string }
  | { readonly type: 'interrupt'; readonly level: Level; readonly thread: number; readonly vector: number; readonly delivery: string }
  | { readonly type: 'map'; readonly pid: number; readonly ea: number; readonly pageSize: string; readonly gRaddr: number }
  | { readonly type: 'unmap'; readonly pid: number; readonly ea: number; readonly unlinkedTables: number }
  | { readonly type: 'protect'; readonly pid: number; readonly ea: number; readonly writable: boolean }
  | { readonly type: 'touch'; readonly thread: number; readonly pid: number; readonly ea: number; readonly access: string; readonly result: string }
  | { readonly type: 'reclaim'; readonly level: Level; readonly gRaddr: number }
  | { readonly type: 'migrated'; readonly to: string; readonly lpcr: string }
  /** The guest runs the hash MMU on `host` (boot-guest.ts): the radix workload does not apply to it. */
  | { readonly type: 'hash-mmu'; readonly host: string }
  /** A hash guest's HPT section loaded on the destination (`htab_load`). */
  | { readonly type: 'hpt-migrated'; readonly to: string }
  | { readonly type: 'fault-injected'; readonly fault: 'pwc-flush' | 'shadow-pte'; readonly skipped: number }
  | { readonly type: 'panic'; readonly level: Level; readonly message: string };

export interface TraceRecord {
  readonly step: number;
  readonly event: TraceEvent;
}

export class Trace {
  readonly records: TraceRecord[] = [];
  step = 0;

  add(event: TraceEvent): void {
    this.records.push({ step: this.step, event });
  }
}
