/**
 * Booting a guest on a host, as far as the MMU contract goes: QEMU starts (or refuses), CAS negotiates,
 * the kernel reads ov5 and may panic (`pSeries_setup_arch`: "BUG: Radix support requires either GTSE or
 * RPT_INVALIDATE", Linux ≥ 5.9, arch/powerpc/platforms/pseries/setup.c), then registers its process table.
 *
 * A guest that negotiated hash boots once QEMU has set up its HPT (guest/hpt.ts), and nothing this model runs
 * applies to it afterwards: under HPT a pSeries guest changes its translations through hcalls (H_ENTER, H_REMOVE,
 * H_BULK_REMOVE: Linux arch/powerpc/platforms/pseries/lpar.c) and its hypervisor runs the tlbie, so LPCR[GTSE],
 * H_RPT_INVALIDATE and the radix panic do not apply, and the radix workload has nothing to act on.
 */
import { negotiateCas } from '../guest/cas';
import { GuestKernel } from '../guest/guest-kernel';
import { hptAllocationRefusal } from '../guest/hpt';
import { QemuRefusal, qemuStartRefusal } from '../guest/qemu-start';
import { RADIX_PANIC, radixPanics } from '../guest/radix-panic';
import { H_SUCCESS } from '../isa/hcalls';
import { GuestHypervisor } from '../hypervisor/guest-hypervisor';
import { FaultInjection } from '../machine/fault-injection';
import { Machine } from '../machine/machine';
import { SafetyMonitor } from '../safety/stale-translation';
import { buildPlatform } from './guest-platform';
import { Outcome } from './outcome';
import { GuestPlan, HostPlan } from './plan';
import { Trace } from './trace';

export type BootResult =
  | { readonly kind: 'booted'; readonly machine: Machine; readonly hypervisor: GuestHypervisor; readonly kernel: GuestKernel }
  | { readonly kind: 'booted-hash' }
  | { readonly kind: 'failed'; readonly outcome: Outcome };

export { RADIX_PANIC };

/**
 * A guest observed to negotiate (its recorded ov5, read from its running kernel) got past QEMU's start-up, CAS
 * and its kernel's checks: where the model stops it before that, the recorded facts contradict the model,
 * which then does not follow the guest rather than report a failure the facts refute.
 */
function contradicted(guest: GuestPlan, host: HostPlan, failure: string): BootResult | undefined {
  if (!guest.observed) return undefined;
  const reason = `${guest.name} was observed to negotiate mmu=${guest.observed.mmu} gtse=${guest.observed.gtse ? 1 : 0} on ${host.name}, where the model stops it: ${failure}`;
  return { kind: 'failed', outcome: { kind: 'not-modelled', reason } };
}

/** QEMU exits before the guest runs: its message in the trace and in the outcome. */
function refused(guest: GuestPlan, host: HostPlan, { message, source }: QemuRefusal, trace: Trace): BootResult {
  const observed = contradicted(guest, host, message);
  if (observed) return observed;
  trace.add({ type: 'qemu-refused', host: host.name, message, source });
  return { kind: 'failed', outcome: { kind: 'qemu-refused', message, source } };
}

export function bootGuest(guest: GuestPlan, host: HostPlan, trace: Trace, monitor: SafetyMonitor, faults: FaultInjection): BootResult {
  const refusal = qemuStartRefusal(guest, host);
  if (refusal) return refused(guest, host, refusal, trace);
  trace.add({ type: 'qemu-started', host: host.name, caps: { 'cap-rpt-invalidate': guest.capRptInvalidate } });

  const cas = negotiateCas(guest, host);
  if (cas.kind === 'qemu-exit') return refused(guest, host, cas, trace);
  const { negotiation } = cas;
  trace.add({ type: 'cas', ...negotiation });
  if (negotiation.negotiated.mmu === 'hash') {
    const hpt = hptAllocationRefusal(host, 'do_client_architecture_support → spapr_setup_hpt');
    if (hpt) return refused(guest, host, hpt, trace);
    trace.add({ type: 'hash-mmu', host: host.name });
    return { kind: 'booted-hash' };
  }

  const platform = buildPlatform(guest, host, trace, faults);
  if (platform.kind === 'not-modelled') return { kind: 'failed', outcome: platform };
  const { machine, hypervisor } = platform;
  const level = hypervisor.guestLevel;
  if (radixPanics(guest, negotiation.negotiated)) {
    const observed = contradicted(guest, host, RADIX_PANIC);
    if (observed) return observed;
    trace.add({ type: 'panic', level, message: RADIX_PANIC });
    return { kind: 'failed', outcome: { kind: 'guest-panic', level, message: RADIX_PANIC } };
  }
  const gtse = negotiation.negotiated.gtse;
  const kernel = new GuestKernel(machine, hypervisor, trace, monitor, guest.kernel.basePageSize, gtse ? 'tlbie' : 'h-rpt-invalidate');
  trace.add({ type: 'kernel-flush-method', method: kernel.flushMethod });
  const rc = kernel.registerProcessTable();
  if (rc !== H_SUCCESS) {
    const message = `H_REGISTER_PROC_TBL failed (rc=${rc})`;
    trace.add({ type: 'panic', level, message });
    return { kind: 'failed', outcome: { kind: 'guest-panic', level, message } };
  }
  return { kind: 'booted', machine, hypervisor, kernel };
}
