/**
 * The part of a Linux radix guest kernel that edits page tables and flushes: processes (PIDs) with their
 * process-scoped trees in guest memory, a guest-real page allocator, `mm_cpumask` (the threads a mm ran
 * on, deciding local vs global flushes), and the mmu_gather order: clear the PTE, flush, and only then free
 * the page and any page-table page (Linux `tlb_remove_table`). Each removal is reported to the safety
 * monitor before the flush, and declared complete only after the flush sequence completed.
 */
import { assertNever } from '../assert-never';
import { H_SUCCESS, HcallReturn, PROC_TABLE_GTSE, PROC_TABLE_NEW, PROC_TABLE_RADIX } from '../isa/hcalls';
import { MSR_GUEST_KERNEL } from '../isa/msr';
import { alignDown, pageBytes, PageSize } from '../isa/page-size';
import { describeInstruction } from '../isa/tlbie-operands';
import { GUEST_FRAME_BASE, GUEST_TABLE_BASE } from '../machine/address-layout';
import { FrameAllocator } from '../machine/frame-allocator';
import { Machine } from '../machine/machine';
import { ExecutionContext } from '../mmu/hardware-thread';
import { runSequence } from '../mmu/tlb-sequence';
import { Access, translate, Translation } from '../mmu/translate';
import { BasePageSize } from '../radix/radix-geometry';
import { LeafEntry } from '../radix/radix-entry';
import { RadixTree, Unmapped } from '../radix/radix-tree';
import { TableMemory } from '../radix/table-memory';
import { RemovedMapping } from '../safety/removed-mapping';
import { SafetyMonitor, StaleTranslation } from '../safety/stale-translation';
import { GuestHypervisor } from '../hypervisor/guest-hypervisor';
import { GuestCrash } from '../scenario/outcome';
import { Level, Trace } from '../scenario/trace';
import { Flush, FlushMethod, FlushRequest, fullFlushRetry, planFlush } from './radix-flush';

export type KernelStep =
  | { readonly kind: 'ok' }
  | { readonly kind: 'crash'; readonly crash: GuestCrash }
  | { readonly kind: 'panic'; readonly level: Level; readonly message: string }
  | { readonly kind: 'stale'; readonly stale: StaleTranslation };

const OK: KernelStep = { kind: 'ok' };

interface Process {
  readonly tree: RadixTree;
  /** mm_cpumask: threads the mm has run on. */
  readonly threads: Set<number>;
}

/** The process table: PRTS for 2^20 PIDs of 16 bytes = log2(2^24) − 12 (`PRTB_SIZE_SHIFT = mmu_pid_bits + 4`). */
const PROCESS_TABLE_BASE = 0x0100_0000;
const PROCESS_TABLE_PRTS = 12;

export class GuestKernel {
  private readonly memory = new TableMemory(GUEST_TABLE_BASE);
  private readonly frames = new FrameAllocator(GUEST_FRAME_BASE);
  private readonly processes = new Map<number, Process>();
  private readonly processTable = new Map<number, RadixTree>();

  constructor(
    private machine: Machine,
    private hypervisor: GuestHypervisor,
    private readonly trace: Trace,
    private readonly monitor: SafetyMonitor,
    readonly basePageSize: BasePageSize,
    /** MMU_FTR_GTSE ? `tlbie` : H_RPT_INVALIDATE. */
    readonly flushMethod: FlushMethod,
  ) {}

  /** `pseries_lpar_register_process_table`: PROC_TABLE_GTSE iff MMU_FTR_GTSE. */
  registerProcessTable(): HcallReturn {
    const gtse = this.flushMethod === 'tlbie' ? PROC_TABLE_GTSE : 0;
    return this.hypervisor.registerProcessTable(
      { flags: PROC_TABLE_NEW | PROC_TABLE_RADIX | gtse, base: PROCESS_TABLE_BASE, pageSize: 0, tableSize: PROCESS_TABLE_PRTS },
      this.processTable,
    );
  }

  /** After a migration: the same memory on another machine, no cached translation, the destination's hypervisor. */
  moveTo(machine: Machine, hypervisor: GuestHypervisor): void {
    this.machine = machine;
    this.hypervisor = hypervisor;
    hypervisor.partition.processTable = this.processTable;
    this.processes.forEach((process) => process.threads.clear());
  }

  pids(): number[] {
    return [...this.processes.keys()];
  }

  private process(pid: number): Process {
    const existing = this.processes.get(pid);
    if (existing) return existing;
    const created = { tree: new RadixTree(this.memory, this.basePageSize), threads: new Set<number>() };
    this.processes.set(pid, created);
    this.processTable.set(pid, created.tree);
    return created;
  }

  /** `switch_mm`: the thread runs the process from now on. */
  private contextOn(thread: number, pid: number): ExecutionContext {
    this.process(pid).threads.add(thread);
    return { thread, msr: MSR_GUEST_KERNEL, lpcr: this.hypervisor.lpcr, lpidr: this.hypervisor.partition.lpid, pidr: pid };
  }

  lookup(pid: number, ea: number): LeafEntry | undefined {
    return this.processes.get(pid)?.tree.lookup(ea);
  }

  /** Invalid → valid: no flush needed (`radix__set_pte_at`). Returns the guest real page, or undefined if occupied. */
  map(pid: number, ea: number, pageSize: PageSize, writable: boolean): number | undefined {
    const gRaddr = this.frames.allocate(pageSize);
    const base = alignDown(ea, pageSize);
    if (this.storing(() => this.process(pid).tree.map(base, gRaddr, pageSize, writable)) !== 'mapped') {
      this.frames.release(gRaddr, pageSize);
      return undefined;
    }
    this.trace.add({ type: 'map', pid, ea: base, pageSize, gRaddr });
    return gRaddr;
  }

  touch(thread: number, pid: number, ea: number, access: Access): Translation {
    const result = translate(this.machine, this.contextOn(thread, pid), ea, access);
    this.trace.add({ type: 'touch', thread, pid, ea, access, result: result.kind === 'translated' ? `${result.source} 0x${result.hRaddr.toString(16)}` : result.kind });
    return result;
  }

  unmap(thread: number, pid: number, ea: number): KernelStep {
    const context = this.contextOn(thread, pid);
    const removed = this.storing(() => this.process(pid).tree.unmap(ea));
    if (!removed) return OK;
    const size = removed.leaf.pageSize;
    this.trace.add({ type: 'unmap', pid, ea: removed.ea, unlinkedTables: removed.unlinked.length });
    const mapping = this.removal(pid, removed.ea, size);
    const step = this.flush(context, { kind: 'range', pid, start: removed.ea, end: removed.ea + pageBytes(size), pageSize: size, alsoPwc: removed.unlinked.length > 0 }, [mapping]);
    if (step.kind === 'ok') this.free(removed);
    return step;
  }

  /** Permission reduction: needs the same invalidation as a removal (domain/mmu.md §6 invariant 2). */
  protect(thread: number, pid: number, ea: number): KernelStep {
    const context = this.contextOn(thread, pid);
    const before = this.storing(() => this.process(pid).tree.protect(ea, false));
    if (!before?.writable) return OK;
    const base = alignDown(ea, before.pageSize);
    this.trace.add({ type: 'protect', pid, ea: base, writable: false });
    const mapping = this.removal(pid, base, before.pageSize);
    return this.flush(context, { kind: 'range', pid, start: base, end: base + pageBytes(before.pageSize), pageSize: before.pageSize, alsoPwc: false }, [mapping]);
  }

  /** `radix__flush_all_mm`. */
  flushMm(thread: number, pid: number): KernelStep {
    return this.flush(this.contextOn(thread, pid), { kind: 'mm', pid }, []);
  }

  /**
   * An edit of the kernel's page tables: each PTE or PDE it writes or clears (`set_pte_at`, `pmd_populate`,
   * `pte_clear`, `pmd_clear`, …) is a store instruction the kernel executes on the machine it runs on now.
   */
  private storing<T>(edit: () => T): T {
    const before = this.memory.stores;
    const result = edit();
    this.machine.executed += this.memory.stores - before;
    return result;
  }

  private removal(pid: number, start: number, size: PageSize): RemovedMapping {
    const mapping: RemovedMapping = { scope: 'process', lpid: this.hypervisor.partition.lpid, pid, start, end: start + pageBytes(size) };
    this.monitor.removed(mapping);
    return mapping;
  }

  private free(removed: Unmapped): void {
    this.frames.release(removed.leaf.raddr, removed.leaf.pageSize);
    removed.unlinked.forEach((table) => this.memory.free(table));
  }

  private flush(context: ExecutionContext, request: FlushRequest, mappings: readonly RemovedMapping[]): KernelStep {
    const threads = this.process(request.pid).threads;
    const local = threads.size === 1 && threads.has(context.thread);
    const step = this.issue(context, planFlush(request, local, this.flushMethod));
    if (step.kind !== 'ok') return step;
    const stale = this.monitor.completed(this.machine, mappings);
    return stale ? { kind: 'stale', stale } : OK;
  }

  private issue(context: ExecutionContext, flush: Flush): KernelStep {
    const level = this.hypervisor.guestLevel;
    switch (flush.kind) {
      case 'instructions': {
        const result = runSequence(this.machine, context, flush.instructions, (instruction, execution) => {
          if (instruction.mnemonic === 'tlbie' || instruction.mnemonic === 'tlbiel' || execution.kind === 'interrupt') {
            this.trace.add({ type: 'instruction', level, thread: context.thread, text: describeInstruction(instruction), result: execution.kind });
          }
        });
        if (result.kind === 'completed') return OK;
        return { kind: 'crash', crash: this.hypervisor.deliver(context.thread, result.instruction, result.interrupt) };
      }
      case 'hcall': {
        // `pseries_rpt_invalidate`: on failure retry once with a full flush, then BUG().
        for (const args of [flush.args, fullFlushRetry(flush.args)]) {
          const result = this.hypervisor.rptInvalidate(context.thread, args);
          if (result.kind === 'crashed') return { kind: 'crash', crash: result.crash };
          if (result.rc === H_SUCCESS) return OK;
        }
        const message = 'kernel BUG in pseries_rpt_invalidate (arch/powerpc/include/asm/plpar_wrappers.h): H_RPT_INVALIDATE failed';
        this.trace.add({ type: 'panic', level, message });
        return { kind: 'panic', level, message };
      }
      default:
        return assertNever(flush);
    }
  }
}
