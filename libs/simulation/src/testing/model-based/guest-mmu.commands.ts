/** The command arbitraries: a small address window so tables fill, empty and get freed. */
import fc from 'fast-check';
import { PageSize } from '../../isa/page-size';
import { BasePageSize } from '../../radix/radix-geometry';
import { WORKLOAD_PIDS } from '../../scenario/workload';
import { FlushMmCommand } from './flush-mm.command';
import { GuestMmuModel } from './guest-mmu.model';
import { MapCommand } from './map.command';
import { ProtectCommand } from './protect.command';
import { SimulatedGuest } from './simulated-guest';
import { TouchCommand } from './touch.command';
import { UnmapCommand } from './unmap.command';

const REGION_BASE = 2 ** 40;
const REGION_SPAN = 2 ** 30;
const SIZE_BYTES: Readonly<Record<PageSize, number>> = { '4K': 0x1000, '64K': 0x10000, '2M': 0x200000, '1G': 0x40000000 };

export function guestMmuCommands(threads: number, base: BasePageSize): fc.Arbitrary<fc.Command<GuestMmuModel, SimulatedGuest>>[] {
  const thread = fc.nat(threads - 1);
  const pid = fc.constantFrom(...WORKLOAD_PIDS);
  const region = fc.nat(1).map((r) => REGION_BASE + r * REGION_SPAN);
  const sized = fc.constantFrom<PageSize>(base, base, base, '2M', '1G').chain((pageSize) =>
    fc.tuple(fc.constant(pageSize), region, fc.nat(7)).map(([size, r, slot]) => ({ pageSize: size, ea: size === '1G' ? r : r + slot * SIZE_BYTES[size] })),
  );
  const anywhere = fc.tuple(region, fc.nat(0x3fffff)).map(([r, offset]) => r + offset);
  return [
    fc.tuple(pid, sized, fc.boolean()).map(([p, { pageSize, ea }, writable]) => new MapCommand(p, ea, pageSize, writable)),
    fc.tuple(thread, pid, anywhere, fc.constantFrom('load' as const, 'store' as const)).map(([t, p, ea, access]) => new TouchCommand(t, p, ea, access)),
    fc.tuple(thread, fc.nat()).map(([t, i]) => new UnmapCommand(t, i)),
    fc.tuple(thread, fc.nat()).map(([t, i]) => new ProtectCommand(t, i)),
    fc.tuple(thread, pid).map(([t, p]) => new FlushMmCommand(t, p)),
  ];
}
