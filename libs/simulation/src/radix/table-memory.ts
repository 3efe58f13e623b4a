/**
 * The memory holding page-directory pages of one address space's trees (a guest's real memory for its
 * process-scoped trees, the hypervisor's for partition-scoped ones). A table is addressed like the RPDB/NLB
 * field of the entry that points to it; entries are sparse.
 *
 * Linux frees a page-table page only after the flush that follows its unlinking (mmu_gather,
 * `tlb_remove_table`), so unlinking and freeing are separate steps here too.
 */
import { RadixEntry } from './radix-entry';

export type TableAddress = number;

/** Directory pages are placed on 64K boundaries so addresses never look like small integers. */
const TABLE_STRIDE = 0x10000;

let generation = 0;

/**
 * Changes whenever any table anywhere is allocated, written or freed: what a walk reads, in any tree of any
 * machine, can only differ between two equal readings of it if it changed (the safety check's memo).
 */
export const tableGeneration = (): number => generation;

export class TableMemory {
  private readonly tables = new Map<TableAddress, Map<number, RadixEntry>>();
  private nextAddress: TableAddress;
  private written = 0;

  constructor(base: TableAddress) {
    this.nextAddress = base;
  }

  allocate(): TableAddress {
    const address = this.nextAddress;
    this.nextAddress += TABLE_STRIDE;
    generation++;
    this.tables.set(address, new Map());
    return address;
  }

  free(address: TableAddress): void {
    generation++;
    this.tables.delete(address);
  }

  /** Undefined when the table was freed: a walk through a stale pointer reads reused memory. */
  read(address: TableAddress, index: number): RadixEntry | undefined {
    return this.tables.get(address)?.get(index);
  }

  /** Entries written or cleared so far: each one store instruction of whoever edits these tables. */
  get stores(): number {
    return this.written;
  }

  write(address: TableAddress, index: number, entry: RadixEntry | undefined): void {
    const table = this.tables.get(address);
    if (!table) throw new FreedTableError(address);
    generation++;
    this.written++;
    if (entry) table.set(index, entry);
    else table.delete(index);
  }

  isEmpty(address: TableAddress): boolean {
    return (this.tables.get(address)?.size ?? 0) === 0;
  }
}

export class FreedTableError extends Error {
  constructor(readonly address: TableAddress) {
    super(`write to freed page-table page 0x${address.toString(16)}`);
    this.name = 'FreedTableError';
  }
}
