import { resolveGuestConfig } from '../caps/guest-caps';
import { FieldError, fieldError } from '../field-error';
import type { HostSnapshot } from '../input/host-snapshot.schema';
import type { GuestState } from './guest.state';

/**
 * What a level ≥ 1 host's snapshot must agree with in its parent guest P (SPEC §2.1): the KVM inside P can only
 * be what P was booted as. Returns the first contradiction, or undefined.
 * - kvm_hv cannot load in a hash P (`kvmppc_core_check_processor_compat_hv` → -EIO): NEST-L1-HASH.
 * - without cap-nested-hv (or cap-nested-papr) on P, `kvmhv_nested_init` gets H_FUNCTION: NEST-PARENT-NO-NESTED-HV.
 * - the CPU the L1 kernel sees is P's CPU; `ibm,dec-bits` exists in P iff P runs cap-large-decr=on, at P's model width.
 */
export const nestedHostRefusal = (s: HostSnapshot, parent: GuestState, parentHost: HostSnapshot): FieldError | undefined => {
  const contract = parent.contract;
  const config = resolveGuestConfig(parentHost, parent.configuration);
  if (s.accelerator === 'kvm-hv' && contract) {
    if (contract.mmu === 'hash') {
      return fieldError('parentGuestId', `NEST-L1-HASH: guest ${parent.guestId} negotiated mmu=hash; kvm_hv cannot load in a hash L1, so it cannot be a level-${s.level} KVM-HV host`);
    }
    const caps = contract.effectiveCaps;
    if ((caps['nested-hv'] ?? 0) !== 1 && (caps['nested-papr'] ?? 0) !== 1) {
      return fieldError(
        'parentGuestId',
        `NEST-PARENT-NO-NESTED-HV: guest ${parent.guestId} booted with neither cap-nested-hv=on nor cap-nested-papr=on: "kvm-hv: Parent hypervisor does not support nesting (rc=-2)"`,
      );
    }
  }
  if (!config.ok) return undefined;
  const family = config.config.cpu.facts.family;
  if (s.cpu.model !== family) return fieldError('cpu.model', `is ${s.cpu.model} but guest ${parent.guestId} runs a ${family} CPU (-cpu ${parent.configuration.cpu})`);
  const largeDecr = (contract?.effectiveCaps ?? config.config.effectiveCaps)['large-decr'] === 1;
  const width = config.config.cpu.facts.lrgDecrBits;
  const decrBits = s.kvm?.decrBits;
  if (s.kvm && largeDecr && decrBits !== width) {
    return fieldError('kvm.decrBits', `must be ${width}: guest ${parent.guestId} runs cap-large-decr=on on a ${family} model (ibm,dec-bits = ${width})`);
  }
  if (s.kvm && !largeDecr && decrBits !== undefined) {
    return fieldError('kvm.decrBits', `must be absent: guest ${parent.guestId} runs cap-large-decr=off, so its device tree has no ibm,dec-bits`);
  }
  return undefined;
};
