import fc from 'fast-check';
import { CPU_FAMILIES } from '@spapr/domain/machine/cpu-models';
import { COMPAT_MODES } from '@spapr/domain/machine/compat';
import { lookupMachineType, pseriesMachineTypes } from '@spapr/domain/machine/machine-types';
import { classDefaultCaps, defaultCapsWithCpu, effectiveCaps, machineDefaultCaps } from './cap-defaults';
import { parseCapValue, parseSize } from './cap-value';
import { QemuVersion, compareQemuVersions, parseQemuVersion, qemuAtLeast, qemuVersion, releaseOf } from './qemu-version';
import { SPAPR_CAPS, capInfo, capsOf, formatPageSize, hasSubsection } from './spapr-caps';

const Q72 = qemuVersion('7.2.0');
const Q102 = qemuVersion('10.2.2');

function machine(name: string, qemu: QemuVersion = Q72) {
  const found = lookupMachineType(name, qemu);
  if (found.kind !== 'found') throw new Error(`no ${name} in ${qemu.major}.${qemu.minor}`);
  return found.entry.type;
}

describe('When parsing QEMU versions', () => {
  it('accepts major.minor and major.minor.patch', () => {
    expect(parseQemuVersion('7.2')).toEqual({ ok: true, version: { major: 7, minor: 2, patch: 0 } });
    expect(parseQemuVersion('10.2.2')).toEqual({ ok: true, version: { major: 10, minor: 2, patch: 2 } });
  });

  it.each(['7', '7.2.0.1', 'v7.2', '07.2', '7.x'])('refuses %s', (v) => {
    expect(parseQemuVersion(v).ok).toBe(false);
  });

  it('orders numerically, not lexically', () => {
    expect(compareQemuVersions(qemuVersion('10.0'), qemuVersion('9.2'))).toBeGreaterThan(0);
  });

  it('treats a micro ≥ 50 as the next release (development snapshot)', () => {
    expect(releaseOf(qemuVersion('9.2.50'))).toEqual({ major: 10, minor: 0, patch: 0 });
    expect(qemuAtLeast(qemuVersion('8.0.90'), '8.1')).toBe(true);
  });
});

describe('When listing the cap table', () => {
  it('has the 12 caps of 7.2 and the 15 of 10.2, in index order', () => {
    expect(capsOf(Q72).map((c) => c.index)).toEqual([...Array(12).keys()]);
    expect(capsOf(Q102).map((c) => c.name)).toEqual([
      'htm', 'vsx', 'dfp', 'cfpc', 'sbbc', 'ibs', 'hpt-max-page-size', 'nested-hv', 'large-decr',
      'ccf-assist', 'fwnmi', 'rpt-invalidate', 'ail-mode-3', 'nested-papr', 'dawr1',
    ]);
  });

  it('names every migration subsection spapr/cap/<sname>', () => {
    expect(SPAPR_CAPS.map((c) => c.subsection.name.replace('spapr/cap/', ''))).toEqual([
      'htm', 'vsx', 'dfp', 'cfpc', 'sbbc', 'ibs', 'hpt_maxpagesize', 'nested_kvm_hv', 'large_decr',
      'ccf_assist', 'fwnmi', 'rpt_invalidate', 'ail_mode_3', 'nested_papr', 'dawr1',
    ]);
  });

  it('gives ail-mode-3 a subsection only from 9.1', () => {
    expect(hasSubsection(capInfo('ail-mode-3'), qemuVersion('9.0'))).toBe(false);
    expect(hasSubsection(capInfo('ail-mode-3'), qemuVersion('9.1'))).toBe(true);
  });

  it('prints page-size shifts as sizes', () => {
    expect([12, 16, 24, 34].map(formatPageSize)).toEqual(['4K', '64K', '16M', '16G']);
  });
});

describe('When parsing cap values (CAP-VALUE-PARSE)', () => {
  it.each([
    ['cfpc', 'Workaround', 1],
    ['ibs', 'FIXED-CCD', 3],
    ['ibs', 'fixed-na', 4],
    ['htm', 'on', 1],
    ['htm', 'no', 0],
    ['hpt-max-page-size', '16M', 24],
    ['hpt-max-page-size', '64k', 16],
    ['hpt-max-page-size', '65536', 16],
  ] as const)('stores cap-%s=%s as %d', (cap, value, level) => {
    expect(parseCapValue(capInfo(cap), value)).toEqual({ ok: true, level });
  });

  it.each([
    ['cfpc', 'fixed-ibs', 'Invalid capability mode "fixed-ibs" for cap-cfpc'],
    ['htm', 'ON', "Parameter 'cap-htm' expects 'on' or 'off'"],
    ['hpt-max-page-size', '48k', 'cap-hpt-max-page-size must be a power of 2'],
    ['hpt-max-page-size', 'big', "Parameter 'cap-hpt-max-page-size' expects size"],
  ] as const)('refuses cap-%s=%s', (cap, value, message) => {
    expect(parseCapValue(capInfo(cap), value)).toEqual({ ok: false, ruleId: 'CAP-VALUE-PARSE', message });
  });

  it('parses sizes as qemu_strtosz does', () => {
    expect(parseSize('1.5M')).toBe(1572864n);
    expect(parseSize('0x10000')).toBe(65536n);
    expect(parseSize('-1')).toBeNull();
  });
});

describe('When computing defaults (DEF-CAPS-*)', () => {
  it('gives the class defaults of 10.2 (DEF-CAPS-CLASS)', () => {
    expect(classDefaultCaps(Q102)).toEqual({
      htm: 0, vsx: 1, dfp: 1, cfpc: 1, sbbc: 1, ibs: 1, 'hpt-max-page-size': 16, 'nested-hv': 0,
      'large-decr': 1, 'ccf-assist': 1, fwnmi: 1, 'rpt-invalidate': 0, 'ail-mode-3': 1, 'nested-papr': 0, dawr1: 1,
    });
  });

  // machine-types.md §3 "Which version turned X on by default".
  it.each([
    ['pseries-5.0', { 'ccf-assist': 1, fwnmi: 1, cfpc: 1, 'large-decr': 1, htm: 0 }],
    ['pseries-4.2', { 'ccf-assist': 0, fwnmi: 0, cfpc: 1, 'large-decr': 1 }],
    ['pseries-4.0', { cfpc: 1, sbbc: 1, ibs: 1, 'large-decr': 1 }],
    ['pseries-3.1', { cfpc: 0, sbbc: 0, ibs: 0, 'large-decr': 0, 'hpt-max-page-size': 16 }],
    ['pseries-2.12', { 'hpt-max-page-size': 0, htm: 0 }],
    ['pseries-2.12-sxxm', { cfpc: 1, sbbc: 1, ibs: 3, 'hpt-max-page-size': 0 }],
    ['pseries-2.11', { htm: 1, cfpc: 0 }],
  ])('gives %s its overrides (DEF-CAPS-MACHINE)', (type, expected) => {
    expect(machineDefaultCaps(Q72, machine(type)).caps).toMatchObject(expected);
  });

  it('has no versioned default for dawr1 or ail-mode-3', () => {
    expect(machineDefaultCaps(Q102, machine('pseries-5.0', Q102)).caps).toMatchObject({ dawr1: 1, 'ail-mode-3': 1 });
  });

  const base = { qemu: Q102, machine: machine('pseries-10.2', Q102), maxCpuCompat: null, accelerator: 'kvm-hv' as const, ramPageSizeKiB: 64 };
  it.each([
    ['POWER10', null, {}],
    ['POWER9', null, { dawr1: 0 }],
    ['POWER8', null, { dawr1: 0, 'large-decr': 0 }],
    ['POWER7', null, { dawr1: 0, 'large-decr': 0, htm: 0, cfpc: 0, 'ail-mode-3': 0 }],
    ['970', null, { dawr1: 0, 'large-decr': 0, htm: 0, cfpc: 0, 'ail-mode-3': 0, sbbc: 0, vsx: 0, dfp: 0, ibs: 0 }],
    ['POWER10', 'power9', { dawr1: 0 }],
    ['POWER10', 'power7', { dawr1: 0, 'large-decr': 0, cfpc: 0, 'ail-mode-3': 0, sbbc: 0 }],
  ] as const)('lowers %s with max-cpu-compat=%s (DEF-CAPS-CPU)', (family, compat, lowered) => {
    const d = defaultCapsWithCpu({
      ...base,
      cpuPcrSupported: CPU_FAMILIES[family].pcrSupported,
      maxCpuCompat: COMPAT_MODES.find((m) => m.name === compat) ?? null,
    });
    expect(d.caps).toEqual({ ...machineDefaultCaps(Q102, base.machine).caps, ...lowered });
  });

  it('computes pseries-2.12 hpt-max-page-size from the RAM page size on KVM-HV, 34 otherwise', () => {
    const input = { ...base, qemu: Q72, machine: machine('pseries-2.12'), cpuPcrSupported: CPU_FAMILIES.POWER9.pcrSupported };
    expect(defaultCapsWithCpu({ ...input, ramPageSizeKiB: 16 * 1024 }).caps['hpt-max-page-size']).toBe(24);
    expect(defaultCapsWithCpu({ ...input, accelerator: 'tcg' }).caps['hpt-max-page-size']).toBe(34);
    expect(defaultCapsWithCpu({ ...input, accelerator: 'kvm-pr' }).caps['hpt-max-page-size']).toBe(34);
  });

  it('lowers nothing on POWER9 with pseries-7.2 in QEMU 7.2, large-decr on POWER8', () => {
    const p72 = { ...base, qemu: Q72, machine: machine('pseries-7.2') };
    expect(defaultCapsWithCpu({ ...p72, cpuPcrSupported: CPU_FAMILIES.POWER9.pcrSupported }).steps).toEqual([]);
    expect(defaultCapsWithCpu({ ...p72, cpuPcrSupported: CPU_FAMILIES.POWER8.pcrSupported }).steps.map((s) => s.cap)).toEqual(['large-decr']);
  });
});

describe('When laying command-line caps over defaults', () => {
  const allTypes = [...pseriesMachineTypes(Q72), ...pseriesMachineTypes(Q102)].map((e) => e.type);
  const families = Object.values(CPU_FAMILIES);
  it('with no overrides gives the defaults (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...allTypes), fc.constantFrom(...families), fc.constantFrom(null, ...COMPAT_MODES.slice(0, 6)), (type, cpu, compat) => {
        const d = defaultCapsWithCpu({ qemu: Q102, machine: type, cpuPcrSupported: cpu.pcrSupported, maxCpuCompat: compat, accelerator: 'tcg', ramPageSizeKiB: 64 });
        expect(effectiveCaps(d.caps, {})).toEqual(d.caps);
      }),
    );
  });

  it('takes the command line where given, even when equal to the default', () => {
    expect(effectiveCaps({ htm: 0, vsx: 1 }, { htm: 1, vsx: 1 })).toEqual({ htm: 1, vsx: 1 });
  });
});
