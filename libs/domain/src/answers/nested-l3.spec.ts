import type { FleetCommand } from '../fleet/fleet.commands';
import { InMemoryFleet } from '../fleet/in-memory-fleet';
import { decidedFleet } from '../testing/decided-fleet';
import { aBoot, aHost, aNestedHost } from '../testing/fleet-fixtures';
import { checkBoot } from './boot-check';

/**
 * Three levels under a Linux KVM-HV L0 (nested.md §3.3): vm-l1 on bare metal hosts l1-hv, vm-l2 on l1-hv hosts
 * l2-hv, and an L3 boots on l2-hv. vm-l2's KVM runs the L3 with H_ENTER_NESTED to vm-l1's KVM, which runs it with
 * H_ENTER_NESTED to L0: `load_l2_hv_regs` in L0 keeps LPCR[GTSE] of vm-l1 (the guest on bare metal), whatever
 * vm-l2 registered; L0 (kernel ≥ 5.14) handles the L3's H_RPT_INVALIDATE itself.
 */
const NESTING_KVM = { caps: { KVM_CAP_PPC_MMU_RADIX: 1, KVM_CAP_PPC_NESTED_HV: 1, KVM_CAP_PPC_RPT_INVALIDATE: 1, KVM_CAP_PPC_FWNMI: 1 }, nestedEnabled: true, ramPageSizeKiB: 64, mitigations: { cfpc: 'fixed', sbbc: 'fixed', ibs: 'fixed-ccd', 'ccf-assist': 'off' }, decrBits: 56 } as const;
const DEFAULT = 'console=hvc0';
const GTSE0 = 'console=hvc0 radix_hcall_invalidate=on';
const hypervisorBoot = (guestId: string, hostId: string, cmdline: string) =>
  aBoot({ guestId, hostId, machine: 'pseries-7.2,cap-nested-hv=on,cap-rpt-invalidate=on', kernel: { release: '6.1.0-50-powerpc64le', cmdline } });
const spec = (machine: string, cmdline: string) => ({ machine, cpu: 'host', kernel: { release: '6.1.0-50-powerpc64le', cmdline } });

/** vm-l1 and vm-l2 booted with the given command lines (GTSE=0 iff radix_hcall_invalidate=on), their hosts recorded. */
const threeLevels = (l1Cmdline: string, l2Cmdline: string): InMemoryFleet =>
  decidedFleet([
    { type: 'RecordHostSnapshot', data: aHost({ hostId: 'l0-p9' }) },
    { type: 'RecordGuestBoot', data: hypervisorBoot('vm-l1', 'l0-p9', l1Cmdline) },
    { type: 'RecordHostSnapshot', data: aNestedHost({ hostId: 'l1-hv', parentGuestId: 'vm-l1', kvm: NESTING_KVM }) },
    { type: 'RecordGuestBoot', data: hypervisorBoot('vm-l2', 'l1-hv', l2Cmdline) },
    { type: 'RecordHostSnapshot', data: aNestedHost({ hostId: 'l2-hv', level: 2, parentGuestId: 'vm-l2', kvm: NESTING_KVM }) },
  ] satisfies FleetCommand[]);

const boot = (fleet: InMemoryFleet, hostId: string, machine: string, cmdline: string) => {
  const r = checkBoot({ view: fleet, position: fleet.position, now: '2026-11-24T12:00:00Z' }, hostId, spec(machine, cmdline));
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};
const errors = (a: ReturnType<typeof boot>) => a.findings.filter((f) => f.severity === 'error').map((f) => f.ruleId);

describe('Given an L1 that registered GTSE=0 (radix_hcall_invalidate=on) on a KVM-HV L0', () => {
  describe('when an L2 hypervisor boots in it with the default command line (it negotiates GTSE=1)', () => {
    it('then the L2 itself is unsafe: L0 enters it with the L1 GTSE=0 and its first tlbie traps', () => {
      const fleet = threeLevels(GTSE0, GTSE0);
      expect(errors(boot(fleet, 'l1-hv', 'pseries-7.2,cap-nested-hv=on', DEFAULT))).toEqual(['NEST-GTSE-INHERITED']);
    });
  });

  describe('when the L2 hypervisor runs GTSE=0 too (H_RPT_INVALIDATE, handled by L0) and a default L3 boots on it', () => {
    it('then the L3 is unsafe: NEST-GTSE-INHERITED naming vm-l1, whose GTSE applies, and vm-l2, the L3 parent', () => {
      const a = boot(threeLevels(GTSE0, GTSE0), 'l2-hv', 'pseries-7.2', DEFAULT);
      expect(a.verdict).toBe('unsafe');
      const inherited = a.findings.find((f) => f.ruleId === 'NEST-GTSE-INHERITED');
      expect(inherited?.values).toEqual(expect.objectContaining({ p: 'vm-l1', parent: 'vm-l2', g1: 0, g2: 1 }));
      expect(inherited?.message).toMatch(/inherited from L1 vm-l1: .* runs in vm-l2, but L0 enters every nested guest below vm-l1 with vm-l1's LPCR\[GTSE\]/);
    });

    it('then an L3 with radix_hcall_invalidate=on and cap-rpt-invalidate=on boots: L0 handles its hcall (NEST-GTSE-OK)', () => {
      const a = boot(threeLevels(GTSE0, GTSE0), 'l2-hv', 'pseries-7.2,cap-rpt-invalidate=on', GTSE0);
      expect(errors(a)).toEqual([]);
      expect(a.findings.map((f) => f.ruleId)).toContain('NEST-GTSE-OK');
    });
  });
});

describe('Given an L1 that registered GTSE=1 (default) and an L2 hypervisor in it that registered GTSE=0', () => {
  describe('when a default L3 (GTSE=1) boots on the L2 hypervisor', () => {
    it('then it is not unsafe: L0 enters it with vm-l1 GTSE=1, not the GTSE=0 of its parent vm-l2', () => {
      const fleet = threeLevels(DEFAULT, GTSE0);
      expect(errors(boot(fleet, 'l1-hv', 'pseries-7.2,cap-nested-hv=on,cap-rpt-invalidate=on', GTSE0))).toEqual([]);
      const a = boot(fleet, 'l2-hv', 'pseries-7.2', DEFAULT);
      expect(errors(a)).toEqual([]);
      expect(a.findings.map((f) => f.ruleId)).not.toContain('NEST-GTSE-INHERITED');
    });
  });
});
