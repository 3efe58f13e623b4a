/**
 * The LPCR[GTSE] a parent guest P registered, derived by booting P in the model on the host it booted on:
 * QEMU's start-up checks, CAS, the radix panic. Linux sets PROC_TABLE_GTSE in H_REGISTER_PROC_TBL iff
 * MMU_FTR_GTSE, i.e. the negotiated GTSE (domain/cas-ov5.md §2.4), and it survives P's migrations
 * (domain/nested.md §3.3). Only where P's ov5 was observed on the real guest does that fact decide instead.
 * A P that could not have booted radix (refused, hash, panic) cannot load kvm_hv: its host is not modelled.
 */
import { negotiateCas } from '../guest/cas';
import { qemuStartRefusal } from '../guest/qemu-start';
import { RADIX_PANIC, radixPanics } from '../guest/radix-panic';
import { NestedParentPlan } from './plan';

export type ParentRegistration = { readonly kind: 'registered'; readonly gtse: boolean } | { readonly kind: 'not-booted'; readonly reason: string };

export function parentRegistration(parent: NestedParentPlan): ParentRegistration {
  if (parent.observedGtse !== undefined) return { kind: 'registered', gtse: parent.observedGtse };
  const { guest, bootedOn } = parent;
  const notBooted = (why: string): ParentRegistration => ({ kind: 'not-booted', reason: `parent guest ${guest.name} on ${bootedOn.name}: ${why}` });
  const refusal = qemuStartRefusal(guest, bootedOn);
  if (refusal) return notBooted(`QEMU refused: ${refusal.message}`);
  const cas = negotiateCas(guest, bootedOn);
  if (cas.kind === 'qemu-exit') return notBooted(`QEMU exited at CAS: ${cas.message}`);
  const { negotiated } = cas.negotiation;
  if (negotiated.mmu === 'hash') return notBooted('negotiated the hash MMU, so kvm_hv cannot load');
  if (radixPanics(guest, negotiated)) return notBooted(`panics: ${RADIX_PANIC}`);
  return { kind: 'registered', gtse: negotiated.gtse };
}
