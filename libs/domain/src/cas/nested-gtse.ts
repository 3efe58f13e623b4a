import { Cause, causeOf as cause } from '@spapr/domain/caps/cause';
import { RULE } from '@spapr/domain/rules/rule-ids';
import type { CasContract, NestedParentFacts } from './negotiate';

/** Rules.md's crash, and how it is reached from a guest one hypervisor or more above L1. */
const crashOf = (g: string, parent: NestedParentFacts): string =>
  parent.guestId === parent.l1.guestId
    ? 'first tlbie traps (HEAI 0xE40 → L1 injects illegal-instruction program check) and the L2 kernel crashes'
    : `${g} runs in ${parent.guestId}, but L0 enters every nested guest below ${parent.l1.guestId} with ${parent.l1.guestId}'s LPCR[GTSE] (load_l2_hv_regs): its first tlbie traps (HEAI 0xE40, reflected through ${parent.l1.guestId} to ${parent.guestId}, which injects an illegal-instruction program check) and its kernel crashes`;

/**
 * GTSE of a guest G on a level ≥ 1 KVM-HV host, run in parent guest P (nested.md §3.3–§4, rules.md NEST-GTSE-*).
 * At any depth G is entered by L0 on behalf of the level-1 guest L1 (P itself for a level-1 host):
 * - API v1 with a Linux KVM-HV L0: `load_l2_hv_regs` keeps L1's LPCR[GTSE] for every nested guest below it
 *   (LPCR_GTSE is not in the mask L1 may set). L1.gtse=0 ∧ G.gtse=1: G's first `tlbie` traps (HEAI → a program
 *   check injected by P) → crash. G.gtse=0 with cap-rpt-invalidate: fine iff L0 ≥ 5.14 handles the
 *   process-scoped hcall itself (`kvmppc_nested_h_rpt_invalidate`), whatever the depth.
 * - API v1 with a TCG L0: `h_enter_nested` forces GTSE=1, never inherited; the hcall path is unverified (warning).
 * - API v2 (between L1 and L0): unverified, warning when L1 and G differ.
 * Values: `p` is L1, the guest whose GTSE applies; `parent` is P.
 */
export function checkNestedGtse(parent: NestedParentFacts, contract: Pick<CasContract, 'mmu' | 'gtse' | 'effectiveCaps'>, g: { readonly guestId: string }): Cause[] {
  if (contract.mmu !== 'radix') return [];
  const out: Cause[] = [];
  const l1 = parent.l1;
  const rpti = (contract.effectiveCaps['rpt-invalidate'] ?? 0) === 1;
  const values = {
    g: g.guestId,
    g2: contract.gtse ? 1 : 0,
    g1: l1.gtse ? 1 : 0,
    p: l1.guestId,
    parent: parent.guestId,
    l1Gtse: l1.gtse,
    l2Gtse: contract.gtse,
    nestedApi: l1.nestedApi,
    l0Accelerator: parent.l0Accelerator,
    'cap-rpt-invalidate': rpti,
  };
  if (l1.nestedApi === 'v2') {
    if (l1.gtse !== contract.gtse) {
      out.push(cause(RULE.NEST_GTSE_INHERITED, 'warning', `L2 GTSE handling under the nested API v2 is unverified: L1 registered GTSE=${l1.gtse ? 1 : 0}, L2 negotiated ${contract.gtse ? 1 : 0}`, values, 'nested.md §3.3 (API v2 unverified)'));
    }
    return out;
  }
  if (parent.l0Accelerator === 'kvm-hv' && !l1.gtse && contract.gtse) {
    out.push(cause(RULE.NEST_GTSE_INHERITED, 'error', crashOf(g.guestId, parent), values, 'arch/powerpc/kvm/book3s_hv_nested.c:load_l2_hv_regs'));
  }
  if (!contract.gtse && rpti) {
    if (parent.l0Accelerator === 'kvm-hv' && parent.l0RptInvalidate) {
      out.push(cause(RULE.NEST_GTSE_OK, 'info', 'L2 gtse=0 uses H_RPT_INVALIDATE; process-scoped flushes handled directly by L0', values, 'arch/powerpc/kvm/book3s_hv.c:kvmppc_nested_h_rpt_invalidate'));
    } else {
      const tcg = parent.l0Accelerator !== 'kvm-hv';
      out.push(
        cause(
          RULE.NEST_RPTI_L0_OLD,
          tcg ? 'warning' : 'error',
          tcg
            ? 'L2 gtse=0 relies on H_RPT_INVALIDATE; how a TCG L0 handles it for an L2 is unverified'
            : 'L0 reflects H_RPT_INVALIDATE to L1, whose tlbie cannot reach the L2: stale translations or a trap',
          { ...values, l0: parent.l0HostId, k: parent.l0Kernel ?? 'unknown', l0RptInvalidate: parent.l0RptInvalidate },
          'arch/powerpc/kvm/book3s_hv.c:kvmppc_h_rpt_invalidate; arch/powerpc/mm/book3s64/radix_tlb.c:do_h_rpt_invalidate_prt',
        ),
      );
    }
  }
  return out;
}
