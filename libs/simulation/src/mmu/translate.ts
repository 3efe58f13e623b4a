/**
 * A data access through the MMU, as the hardware does it (Power ISA 3.0B "Radix Tree Translation"; QEMU
 * target/ppc/mmu-radix64.c `ppc_radix64_xlate` → `ppc_radix64_process_scoped_xlate` then
 * `ppc_radix64_partition_scoped_xlate`): TLB first; on a miss the process-scoped walk (from the deepest
 * page-walk-cache hit, filling the PWC), then the partition-scoped translation of the resulting guest real
 * address, then a TLB fill with the combined result at the smaller of the two page sizes.
 * Under QEMU TCG no PWC is filled (see mmu/invalidate.ts).
 * LPCR[UPRT] (use process table) gates the process-scoped walk of a radix partition (LPCR[HR]=1): radix
 * translation exists only through the process table, so the hypervisor sets UPRT with HR (QEMU
 * `h_register_process_table`: "Radix must use process tables, also set HR"; Linux `radix__early_init_mmu` on bare
 * metal: `mtspr(SPRN_LPCR, lpcr | LPCR_UPRT | LPCR_HR)`), and with UPRT=0 the partition has no process-scoped
 * translation (Power ISA 3.0B Book III, as the issue cites it; not re-checked against the PDF). Assumption, named:
 * the model raises a DSI for a radix configuration error (`DSISR_R_BADCONFIG`, which QEMU raises for the radix
 * configuration errors it does check: `validate_pate`, a misaligned process table) and caches nothing. QEMU TCG
 * does not check it: `ppc_radix64_xlate` only logs "LPCR:UPRT not set in radix mode !" (LOG_GUEST_ERROR) and walks
 * the process table anyway, which the model follows under TCG, as it follows QEMU's `tlbie`.
 * Gap, named: the partition-scoped translation of each guest page-table access during the walk is folded
 * into the table addresses (tables are addressed directly, not through the partition-scoped tree).
 */
import { LPCR_HR, LPCR_UPRT, lpcrHas } from '../isa/lpcr';
import { alignDown, smallerPageSize } from '../isa/page-size';
import { PATB_GR } from '../radix/pate';
import { levelPrefix } from '../radix/radix-geometry';
import { WalkStart, walkTree } from '../radix/walk-tree';
import { Machine } from '../machine/machine';
import { ExecutionContext } from './hardware-thread';

export type Access = 'load' | 'store';

export type Translation =
  | { readonly kind: 'translated'; readonly source: 'tlb' | 'walk'; readonly gRaddr: number; readonly hRaddr: number }
  /** Data Storage interrupt to the guest: no valid process-scoped translation, no permission, or a radix configuration error. */
  | { readonly kind: 'dsi'; readonly reason: 'no-translation' | 'protection' | 'bad-config' }
  /** Hypervisor Data Storage interrupt the hypervisor could not resolve. */
  | { readonly kind: 'hdsi'; readonly gRaddr: number };

export function translate(machine: Machine, context: ExecutionContext, ea: number, access: Access): Translation {
  machine.executed++;
  const thread = machine.threads[context.thread];
  const { lpidr: lpid, pidr: pid } = context;
  const hit = thread.tlb.lookup(lpid, pid, ea);
  if (hit && (access === 'load' || hit.writable)) {
    return { kind: 'translated', source: 'tlb', gRaddr: hit.gRaddr + (ea - hit.ea), hRaddr: hit.hRaddr + (ea - hit.ea) };
  }
  // A store hitting a read-only entry: Linux treats it as a spurious fault after a permission upgrade and
  // flushes the local entry; the model drops it and walks again.
  if (hit) thread.tlb.dropPage(lpid, pid, hit.pageSize, hit.ea);

  // Radix (HR=1) without UPRT: no process table to walk on hardware; QEMU TCG walks it all the same (see the header).
  if (machine.emulation === 'hardware' && lpcrHas(context.lpcr, LPCR_HR) && !lpcrHas(context.lpcr, LPCR_UPRT)) return { kind: 'dsi', reason: 'bad-config' };
  // The PATE says whether the partition has a radix process table (dw1 GR); the PRTBE of PID gives its tree.
  const partition = machine.partitions.get(lpid);
  const tree = partition && (partition.pate.dw1 & PATB_GR) !== 0n ? partition.processTable?.get(pid) : undefined;
  if (!partition || !tree) return { kind: 'dsi', reason: 'no-translation' };

  let start: WalkStart = { depth: 0, table: tree.root };
  for (let depth = tree.geometry.length - 2; depth >= 0; depth--) {
    const cached = thread.pwc.lookup(lpid, pid, depth, levelPrefix(tree.geometry[depth], ea));
    if (cached) {
      start = { depth: depth + 1, table: cached.nlb };
      break;
    }
  }
  // QEMU TCG caches no page walks (`helper_tlbie_isa300`: "We don't cache Page Walks").
  const fillPwc =
    machine.emulation === 'hardware' ? (depth: number, prefix: number, nlb: number) => thread.pwc.insert({ lpid, pid, depth, prefix, nlb }) : undefined;
  const walk = walkTree(tree.memory, tree.geometry, start, ea, fillPwc);
  if (!walk.found) return { kind: 'dsi', reason: 'no-translation' };
  const leaf = walk.leaf;
  if (access === 'store' && !leaf.writable) return { kind: 'dsi', reason: 'protection' };

  const gRaddr = leaf.raddr + (ea - alignDown(ea, leaf.pageSize));
  const scoped = partition.partitionScoped;
  const host = scoped.hardware(gRaddr) ?? (scoped.resolveFault(gRaddr) ? scoped.hardware(gRaddr) : undefined);
  if (!host) return { kind: 'hdsi', gRaddr };
  const hRaddr = host.raddr + (gRaddr - alignDown(gRaddr, host.pageSize));

  const pageSize = smallerPageSize(leaf.pageSize, host.pageSize);
  thread.tlb.insert({
    lpid,
    pid,
    pageSize,
    processPageSize: leaf.pageSize,
    ea: alignDown(ea, pageSize),
    gRaddr: alignDown(gRaddr, pageSize),
    hRaddr: alignDown(hRaddr, pageSize),
    writable: leaf.writable && host.writable,
  });
  return { kind: 'translated', source: 'walk', gRaddr, hRaddr };
}
