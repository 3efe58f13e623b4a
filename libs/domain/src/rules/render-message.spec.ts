import type { Cause } from '../caps/cause';
import { renderMessage } from './render-message';

const cause = (over: Pick<Cause, 'ruleId' | 'message' | 'values'>): Cause => ({ severity: 'error', cap: null, hint: null, source: 'test', ...over });

describe('When rendering a rules.md §B template', () => {
  it('fills every placeholder with the values compared (NEST-GTSE-INHERITED names the L2, the L1 and both GTSE values)', () => {
    const c = cause({ ruleId: 'NEST-GTSE-INHERITED', message: 'first tlbie traps (HEAI 0xE40 → L1 injects illegal-instruction program check) and the L2 kernel crashes', values: { g: 'vm-l2', g2: 1, g1: 0, p: 'vm-l1' } });
    expect(renderMessage(c)).toBe(
      'L2 vm-l2 negotiated gtse=1 but runs with LPCR[GTSE]=0 inherited from L1 vm-l1: first tlbie traps (HEAI 0xE40 → L1 injects illegal-instruction program check) and the L2 kernel crashes',
    );
  });

  it('picks the alternative a value spells, and quotes QEMU where the template asks for its message', () => {
    expect(renderMessage(cause({ ruleId: 'CAS-FORM2-MACHINE', message: 'ov5 byte5 0x80', values: { mt: 'pseries-6.1', form2: 'does not offer', b5: '80' } }))).toBe(
      'machine pseries-6.1 does not offer FORM2 NUMA affinity (ov5 byte5 0x80)',
    );
    expect(renderMessage(cause({ ruleId: 'MIG-MMU-CONTRACT', message: 'Process table config unsupported by the host', values: { mmu: 'radix', h: 'p8', n: 0, r: 0, hv: 0 } }))).toBe(
      'guest runs radix; destination p8 (level 0) has MMU_RADIX=0, MMU_HASH_V3=0: Process table config unsupported by the host',
    );
  });

  it('includes an optional part iff a value spells it (BOOT-HASH-UNAVAILABLE)', () => {
    const values = { cpu: 'POWER9', mc: 'unset', h: 'p9-dd21', kernel: 'no radix in kernel' };
    expect(renderMessage(cause({ ruleId: 'BOOT-HASH-UNAVAILABLE', message: 'Guest requested unavailable MMU mode (hash).', values }))).toBe(
      'guest needs hash (cpu POWER9, compat unset, no radix in kernel) but host p9-dd21 has MMU_RADIX=1, MMU_HASH_V3=0: "Guest requested unavailable MMU mode (hash)."',
    );
  });

  it('adds the cause\'s own words when the template does not quote them (QEMU < 7.0 spelling)', () => {
    const values = { h: 'p9', n: 0, cpu: 'POWER9', hm: 'radix' };
    expect(renderMessage(cause({ ruleId: 'NEST-HV-DISABLED', message: 'KVM implementation does not support Nested KVM-HV', values }))).toMatch(/\(nested param=0, cpu POWER9, host mmu radix\): "KVM implementation does not support Nested-HV": KVM implementation does not support Nested KVM-HV$/);
  });
});

describe('When the template is QEMU\'s printf format or absent', () => {
  it('keeps QEMU\'s rendered text verbatim and adds the values compared', () => {
    const c = cause({ ruleId: 'MIG-CAP-HIGHER', message: 'cap-large-decr higher level (1) in incoming stream than on destination (0)', values: { incoming: 1, destination: 0 } });
    expect(renderMessage(c)).toBe('cap-large-decr higher level (1) in incoming stream than on destination (0) (incoming=1, destination=0)');
  });

  it('falls back to the cause\'s words and values when a placeholder is missing, or there is no template (MIG-CAP-SEND)', () => {
    expect(renderMessage(cause({ ruleId: 'NEST-GTSE-OK', message: 'uses H_RPT_INVALIDATE', values: { l1Gtse: false } }))).toBe('uses H_RPT_INVALIDATE (l1Gtse=false)');
    expect(renderMessage(cause({ ruleId: 'MIG-CAP-SEND', message: 'no cap subsection in the stream', values: { sent: '' } }))).toBe('no cap subsection in the stream (sent=)');
  });

  it('renders a planner sentence with no placeholder, quoting the guest kernel (BOOT-DISABLE-RADIX-IGNORED)', () => {
    expect(renderMessage(cause({ ruleId: 'BOOT-DISABLE-RADIX-IGNORED', message: 'WARNING: Ignoring cmdline option disable_radix', values: { platformByte24: 64 } }))).toBe(
      'disable_radix ignored: platform offers radix only (byte24=0x40); guest boots radix: WARNING: Ignoring cmdline option disable_radix (platformByte24=64)',
    );
  });
});
