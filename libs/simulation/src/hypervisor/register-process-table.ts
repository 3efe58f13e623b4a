/**
 * What every hypervisor level does with a successful H_REGISTER_PROC_TBL (QEMU `h_register_process_table`):
 * install the process table in the PATE (dw1), then let the caller update the LPCR its way — L0 directly,
 * or L1 for an L2 (where L0 still filters it at H_ENTER_NESTED).
 */
import { H_REGISTER_PROC_TBL, H_SUCCESS, HcallReturn } from '../isa/hcalls';
import { Lpcr, LPCR_GTSE, lpcrHas } from '../isa/lpcr';
import { Partition } from '../machine/partition';
import { pateHex } from '../radix/pate';
import { RadixTree } from '../radix/radix-tree';
import { Level, Trace } from '../scenario/trace';
import { lpcrHex } from './guest-hypervisor';
import { hRegisterProcTbl, RegisterProcTblArgs } from './h-register-proc-tbl';

export interface Registrar {
  readonly partition: Partition;
  readonly trace: Trace;
  readonly level: Level;
  readonly handledBy: Level;
  /** Applies the LPCR bits the hcall owns; returns the LPCR the guest now runs with and why. */
  readonly applyLpcr: (bits: Lpcr) => { readonly lpcr: Lpcr; readonly why: string };
}

export function registerProcessTable(registrar: Registrar, args: RegisterProcTblArgs, processTable: ReadonlyMap<number, RadixTree>): HcallReturn {
  const { partition, trace, level, handledBy } = registrar;
  const result = hRegisterProcTbl(args);
  trace.add({ type: 'hcall', level, handledBy, name: 'H_REGISTER_PROC_TBL', args: [args.flags, args.base, args.pageSize, args.tableSize], rc: result.rc });
  if (result.rc !== H_SUCCESS) return result.rc;
  partition.processTable = processTable;
  partition.pate = { ...partition.pate, dw1: result.pateDw1 };
  trace.add({ type: 'pate', level, lpid: partition.lpid, pate: pateHex(partition.pate) });
  const { lpcr, why } = registrar.applyLpcr(result.lpcrBits);
  trace.add({ type: 'lpcr', level, lpid: partition.lpid, lpcr: lpcrHex(lpcr), gtse: lpcrHas(lpcr, LPCR_GTSE), why: `${why} (hcall 0x${H_REGISTER_PROC_TBL.toString(16)})` });
  return result.rc;
}
