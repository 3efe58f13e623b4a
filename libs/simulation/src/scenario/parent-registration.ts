/**
 * The LPCR[GTSE] a parent guest P registered, derived by booting P in the model on the host it booted on:
 * QEMU's start-up checks, CAS (or what P was observed to negotiate), the radix panic. Linux sets
 * PROC_TABLE_GTSE in H_REGISTER_PROC_TBL iff MMU_FTR_GTSE, i.e. the negotiated GTSE (domain/cas-ov5.md §2.4),
 * and it survives P's migrations (domain/nested.md §3.3). A P that could not have booted (refused, panic) is
 * not running at all; one that booted hash runs, but cannot load kvm_hv (`kvmppc_core_check_processor_compat_hv`,
 * nested.md §3.1).
 */
import { negotiateCas } from '../guest/cas';
import { qemuStartRefusal } from '../guest/qemu-start';
import { RADIX_PANIC, radixPanics } from '../guest/radix-panic';
import { NestedParentPlan } from './plan';

export type ParentRegistration =
  | { readonly kind: 'registered'; readonly gtse: boolean }
  | { readonly kind: 'hash'; readonly reason: string }
  | { readonly kind: 'not-booted'; readonly reason: string };

export function parentRegistration(parent: NestedParentPlan): ParentRegistration {
  const { guest, bootedOn } = parent;
  const why = (text: string) => `parent guest ${guest.name} on ${bootedOn.name}: ${text}`;
  const refusal = qemuStartRefusal(guest, bootedOn);
  if (refusal) return { kind: 'not-booted', reason: why(`QEMU refused: ${refusal.message}`) };
  const cas = negotiateCas(guest, bootedOn);
  if (cas.kind === 'qemu-exit') return { kind: 'not-booted', reason: why(`QEMU exited at CAS: ${cas.message}`) };
  const { negotiated } = cas.negotiation;
  if (negotiated.mmu === 'hash') return { kind: 'hash', reason: why('negotiated the hash MMU, so kvm_hv cannot load') };
  if (radixPanics(guest, negotiated)) return { kind: 'not-booted', reason: why(`panics: ${RADIX_PANIC}`) };
  return { kind: 'registered', gtse: negotiated.gtse };
}
