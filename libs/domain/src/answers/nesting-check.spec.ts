import type { FleetCommand } from '../fleet/fleet.commands';
import { decidedFleet } from '../testing/decided-fleet';
import { aBoot, aHost } from '../testing/fleet-fixtures';
import { checkNesting } from './nesting-check';

const L0 = aHost({ hostId: 'l0-p9' });
const ctxOf = (...commands: FleetCommand[]) => {
  const view = decidedFleet([{ type: 'RecordHostSnapshot', data: L0 }, ...commands]);
  return { view, position: view.position, now: '2026-11-24T12:00:00Z' };
};
const nestingOf = (machine: string, cmdline = 'console=hvc0', release = '6.1.0-50-powerpc64le') => {
  const r = checkNesting(ctxOf({ type: 'RecordGuestBoot', data: aBoot({ guestId: 'vm-l1', hostId: 'l0-p9', machine, kernel: { release, cmdline } }) }), 'vm-l1');
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};
const errors = (a: ReturnType<typeof nestingOf>) => a.findings.filter((f) => f.severity === 'error').map((f) => [f.ruleId, f.message]);

describe('When a guest that negotiated hash is asked to host L2s', () => {
  it('says kvm_hv cannot load in it: NEST-L1-HASH, and tries no L2', () => {
    const a = nestingOf('pseries-7.2,cap-nested-hv=on', 'console=hvc0 disable_radix');
    expect(a.verdict).toBe('unsafe');
    expect(errors(a)).toEqual([['NEST-L1-HASH', 'guest vm-l1 negotiated mmu=hash; kvm_hv cannot load in a hash L1, so it cannot host L2s']]);
    expect(a.l2).toEqual([]);
  });
});

describe('When the L1 parent hypervisor does not offer nesting', () => {
  it('without cap-nested-hv: NEST-PARENT-NO-NESTED-HV names the L1, its L0, the cap and the kernel', () => {
    expect(errors(nestingOf('pseries-7.2'))).toEqual([
      [
        'NEST-PARENT-NO-NESTED-HV',
        'L1 vm-l1 cannot run kvm_hv: its parent hypervisor l0-p9 does not offer nesting (cap-nested-hv=off, L1 kernel 6.1.0-50-powerpc64le): "kvm-hv: Parent hypervisor does not support nesting (rc=-2)"',
      ],
    ]);
  });

  it('with cap-nested-hv but an L1 kernel older than 4.20 (nested API v1): NEST-PARENT-NO-NESTED-HV', () => {
    expect(errors(nestingOf('pseries-7.2,cap-nested-hv=on', 'console=hvc0', '4.19.0-20-powerpc64le')).map(([id]) => id)).toEqual(['NEST-PARENT-NO-NESTED-HV']);
  });

  it('accepts an API v1 L1 from kernel 4.20', () => {
    expect(errors(nestingOf('pseries-7.2,cap-nested-hv=on', 'console=hvc0', '4.20.0'))).toEqual([]);
  });
});

describe('What the KVM inside the L1 reports as its mitigations (derived L1, no recorded snapshot)', () => {
  const l2 = (a: ReturnType<typeof nestingOf>, name: string) => a.l2.find((c) => c.name === name)!;
  const l2Errors = (a: ReturnType<typeof nestingOf>, name: string) => l2(a, name).findings.filter((f) => f.severity === 'error').map((f) => f.ruleId);

  it('an L1 with cap-ibs=fixed-ibs gets no flush assist from its parent: the default L2 is refused for ccf-assist (conformance N25)', () => {
    const a = nestingOf('pseries-7.2,cap-nested-hv=on,cap-ibs=fixed-ibs');
    expect(a.l1.source).toBe('derived');
    expect(l2(a, 'default').verdict).toBe('unsafe');
    expect(l2Errors(a, 'default')).toEqual(['BOOT-CCF-ASSIST-KVM']);
  });

  it('an L1 with cap-ibs=broken reports ibs fixed-na: the L2 default ibs passes, its ccf-assist does not', () => {
    const a = nestingOf('pseries-7.2,cap-nested-hv=on,cap-ibs=broken');
    expect(l2Errors(a, 'default')).toEqual(['BOOT-CCF-ASSIST-KVM']);
  });

  it('an L1 with the default caps offers its L2 the defaults', () => {
    expect(l2Errors(nestingOf('pseries-7.2,cap-nested-hv=on'), 'default')).toEqual([]);
  });
});
