/**
 * One radix tree (a process's process-scoped tree, or a partition-scoped tree) with the edits a kernel
 * makes to it: map (invalid → valid), unmap (valid → invalid, unlinking emptied directory pages) and
 * protect (permission change). Edits never flush anything: flushing is the caller's job, as in Linux
 * where `radix__set_pte_at` issues no flush and mmu_gather flushes before freeing tables.
 */
import { alignDown, PageSize } from '../isa/page-size';
import { LeafEntry } from './radix-entry';
import { BasePageSize, leafLevelOf, levelIndex, levelPrefix, RADIX_GEOMETRY, RadixGeometry } from './radix-geometry';
import { TableAddress, TableMemory } from './table-memory';
import { walkTree } from './walk-tree';

export type MapResult = 'mapped' | 'occupied' | 'unsupported-size';

export interface Unmapped {
  readonly leaf: LeafEntry;
  /** Base EA of the removed page. */
  readonly ea: number;
  /** Directory pages unlinked because they became empty; to be freed after the PWC flush. */
  readonly unlinked: readonly TableAddress[];
}

export class RadixTree {
  readonly geometry: RadixGeometry;
  /** RPDB: root page directory base. */
  readonly root: TableAddress;

  constructor(
    readonly memory: TableMemory,
    readonly basePageSize: BasePageSize,
  ) {
    this.geometry = RADIX_GEOMETRY[basePageSize];
    this.root = memory.allocate();
  }

  /** Side-effect-free walk from the root. */
  lookup(ea: number): LeafEntry | undefined {
    const result = walkTree(this.memory, this.geometry, { depth: 0, table: this.root }, ea);
    return result.found ? result.leaf : undefined;
  }

  /** NLB of the directory entry at `depth` covering `ea`, as the tree is now (undefined if none). */
  directoryAt(ea: number, depth: number): TableAddress | undefined {
    let table = this.root;
    for (let d = 0; d <= depth; d++) {
      const entry = this.memory.read(table, levelIndex(this.geometry[d], ea));
      if (!entry || entry.type === 'leaf') return undefined;
      if (d === depth) return entry.nlb;
      table = entry.nlb;
    }
    return undefined;
  }

  map(ea: number, raddr: number, pageSize: PageSize, writable: boolean): MapResult {
    const leafDepth = leafLevelOf(this.geometry, pageSize);
    if (leafDepth === undefined) return 'unsupported-size';
    let table = this.root;
    for (let depth = 0; depth < leafDepth; depth++) {
      const index = levelIndex(this.geometry[depth], ea);
      const entry = this.memory.read(table, index);
      if (entry?.type === 'leaf') return 'occupied';
      if (entry) {
        table = entry.nlb;
        continue;
      }
      const nlb = this.memory.allocate();
      this.memory.write(table, index, { type: 'directory', nlb });
      table = nlb;
    }
    const index = levelIndex(this.geometry[leafDepth], ea);
    if (this.memory.read(table, index)) return 'occupied';
    this.memory.write(table, index, { type: 'leaf', raddr: alignDown(raddr, pageSize), pageSize, writable });
    return 'mapped';
  }

  unmap(ea: number): Unmapped | undefined {
    const path: { table: TableAddress; index: number }[] = [];
    let table = this.root;
    for (let depth = 0; depth < this.geometry.length; depth++) {
      const index = levelIndex(this.geometry[depth], ea);
      const entry = this.memory.read(table, index);
      if (!entry) return undefined;
      path.push({ table, index });
      if (entry.type === 'leaf') return this.removeLeaf(path, entry, levelPrefix(this.geometry[depth], ea));
      table = entry.nlb;
    }
    return undefined;
  }

  /** Changes the permission of the leaf mapping `ea`; returns the entry as it was. */
  protect(ea: number, writable: boolean): LeafEntry | undefined {
    let table = this.root;
    for (let depth = 0; depth < this.geometry.length; depth++) {
      const index = levelIndex(this.geometry[depth], ea);
      const entry = this.memory.read(table, index);
      if (!entry) return undefined;
      if (entry.type === 'leaf') {
        this.memory.write(table, index, { ...entry, writable });
        return entry;
      }
      table = entry.nlb;
    }
    return undefined;
  }

  private removeLeaf(path: { table: TableAddress; index: number }[], leaf: LeafEntry, ea: number): Unmapped {
    const unlinked: TableAddress[] = [];
    for (let depth = path.length - 1; depth >= 0; depth--) {
      const { table, index } = path[depth];
      this.memory.write(table, index, undefined);
      // Keep the root; stop at the first directory page that still holds entries.
      if (depth === 0 || !this.memory.isEmpty(table)) break;
      unlinked.push(table);
    }
    return { leaf, ea, unlinked };
  }
}
