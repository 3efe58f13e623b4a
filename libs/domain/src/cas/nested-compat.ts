import { Cause, causeOf } from '@spapr/domain/caps/cause';
import { GuestConfig } from '@spapr/domain/caps/guest-caps';
import { HostFacts } from '@spapr/domain/caps/host-facts';
import { COMPAT_MODES, ownCompatMode } from '@spapr/domain/machine/compat';
import { RULE } from '@spapr/domain/rules/rule-ids';
import type { NestedParentFacts } from './negotiate';

/**
 * NEST-COMPAT-V2: under nested API v2 (P runs cap-nested-papr=on) an L1 whose negotiated compat mode is below its own
 * CPU (max-cpu-compat) cannot run an L2 whose CPU level exceeds that mode: its max-cpu-compat, else its CPU model's own
 * (`-cpu host` is the L1's CPU). Source: the linuxppc-dev series proposing KVM_CAP_PPC_COMPAT_CAPS, not verified merged,
 * hence a warning.
 */
export function checkNestedCompat(parent: NestedParentFacts, l1: Pick<HostFacts, 'cpu'>, l2: Pick<GuestConfig, 'machine' | 'cpu'>): Cause[] {
  if (parent.nestedApi !== 'v2' || parent.compatMode === null) return [];
  const l1Compat = COMPAT_MODES.find((m) => m.name === parent.compatMode);
  const l1Own = ownCompatMode(l1.cpu.model);
  if (!l1Compat || !l1Own || l1Compat.order >= l1Own.order) return [];
  const l2Level = l2.machine.maxCpuCompat ?? ownCompatMode(l2.cpu.facts.family);
  if (!l2Level || l2Level.order <= l1Compat.order) return [];
  return [
    causeOf(
      RULE.NEST_COMPAT_V2,
      'warning',
      `L2 cpu ${l2.cpu.facts.family} (level ${l2Level.name}) exceeds the L1 compat mode ${l1Compat.name}`,
      { p: parent.guestId, mc: l1Compat.name, l1Cpu: l1.cpu.model, l2Level: l2Level.name },
      'linuxppc-dev series proposing KVM_CAP_PPC_COMPAT_CAPS (not verified merged)',
    ),
  ];
}
