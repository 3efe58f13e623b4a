import fc from 'fast-check';
import { PageSize } from '../../isa/page-size';
import { GuestMmuModel } from './guest-mmu.model';
import { SimulatedGuest } from './simulated-guest';

/** Map a page: it must succeed exactly when it overlaps nothing the guest already mapped. */
export class MapCommand implements fc.Command<GuestMmuModel, SimulatedGuest> {
  constructor(
    readonly pid: number,
    readonly ea: number,
    readonly pageSize: PageSize,
    readonly writable: boolean,
  ) {}

  check(): boolean {
    return true;
  }

  run(model: GuestMmuModel, real: SimulatedGuest): void {
    const free = !model.overlapping(this.pid, this.ea, this.pageSize);
    const gRaddr = real.kernel.map(this.pid, this.ea, this.pageSize, this.writable);
    expect(gRaddr !== undefined).toBe(free);
    if (gRaddr !== undefined) model.pages.push({ pid: this.pid, ea: this.ea, pageSize: this.pageSize, gRaddr, writable: this.writable });
    expect(real.staleTranslation()).toBeUndefined();
  }

  toString(): string {
    return `map(pid=${this.pid}, ea=0x${this.ea.toString(16)}, ${this.pageSize}, ${this.writable ? 'rw' : 'ro'})`;
  }
}
