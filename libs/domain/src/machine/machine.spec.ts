import { qemuVersion } from '@spapr/domain/caps/qemu-version';
import { COMPAT_MODES, CPU_POWERPC_LOGICAL_3_10_P11, checkCompat, maxCpuCompatResetError, parseMaxCpuCompat } from './compat';
import { CPU_FAMILIES, resolveCpuModel } from './cpu-models';
import { compareIrqBackendsForMigration, spaprIrqInit } from './irq-backend';
import { parseKeyval, parseMachineOption } from './machine-option';
import { defaultCpuType, lookupMachineType, newestPseriesType, pseriesMachineTypes } from './machine-types';

const Q72 = qemuVersion('7.2.0');

function names(v: string): string[] {
  return pseriesMachineTypes(qemuVersion(v)).map((e) => e.type.name);
}

describe('When listing pseries types per QEMU (machine-types.md §1)', () => {
  // QEMU: lowest type, newest type, sxxm present.
  it.each([
    ['7.2.0', 'pseries-2.1', 'pseries-7.2', true],
    ['8.2', 'pseries-2.1', 'pseries-8.2', true],
    ['9.1', 'pseries-2.1', 'pseries-9.1', true],
    ['9.2', 'pseries-3.0', 'pseries-9.2', false],
    ['10.0', 'pseries-3.0', 'pseries-10.0', false],
    ['10.1', 'pseries-4.2', 'pseries-10.1', false],
    ['10.2.2', 'pseries-5.0', 'pseries-10.2', false],
  ])('QEMU %s defines %s … %s', (qemu, lowest, newest, sxxm) => {
    const list = names(qemu);
    expect(list[0]).toBe(lowest);
    expect(list[list.length - 1]).toBe(newest);
    expect(list.includes('pseries-2.12-sxxm')).toBe(sxxm);
  });

  it('has exactly the 7.2 list', () => {
    expect(names('7.2').length).toBe(12 + 2 + 3 * 4 + 1); // 2.1–2.12, 3.0–3.1, 4.0–7.2, sxxm
  });

  it('resolves bare pseries to the newest type of that binary', () => {
    expect(newestPseriesType(Q72).name).toBe('pseries-7.2');
    expect(newestPseriesType(qemuVersion('9.2.50')).name).toBe('pseries-10.0');
  });

  it.each([
    ['9.2', 'pseries-6.2', true],
    ['9.2', 'pseries-7.0', false],
    ['10.0', 'pseries-7.0', true],
    ['10.2', 'pseries-7.2', true],
    ['10.2', 'pseries-8.0', false],
    ['7.2', 'pseries-2.1', false],
  ])('QEMU %s deprecates %s: %s', (qemu, type, deprecated) => {
    const found = lookupMachineType(type, qemuVersion(qemu));
    if (found.kind !== 'found') throw new Error('missing');
    expect(found.entry.deprecationReason !== null).toBe(deprecated);
  });

  it('reports a deleted type as unknown', () => {
    expect(lookupMachineType('pseries-2.12', qemuVersion('9.2')).kind).toBe('unknown');
    expect(lookupMachineType('pseries-4.1', qemuVersion('10.1')).kind).toBe('unknown');
  });

  it('gives pseries-7.2 a different default CPU in 10.x', () => {
    expect(defaultCpuType(lookupType('pseries-7.2', '7.2'), Q72)).toBe('power9_v2.0');
    expect(defaultCpuType(lookupType('pseries-7.2', '10.2'), qemuVersion('10.2'))).toBe('power9_v2.2');
    expect(defaultCpuType(lookupType('pseries-10.2', '10.2'), qemuVersion('10.2'))).toBe('power10_v2.0');
    expect(defaultCpuType(lookupType('pseries-2.9', '7.2'), Q72)).toBe('power8_v2.0');
  });
});

function lookupType(name: string, qemu: string) {
  const f = lookupMachineType(name, qemuVersion(qemu));
  if (f.kind !== 'found') throw new Error(name);
  return f.entry.type;
}

describe('When parsing keyval syntax', () => {
  it('takes the first bare element as the implied type and ,, as a comma', () => {
    expect(parseKeyval('pseries,host-serial=a,,b,', 'type')).toEqual({
      ok: true,
      pairs: [
        { key: 'type', value: 'pseries' },
        { key: 'host-serial', value: 'a,b' },
      ],
    });
  });

  it.each([
    ['pseries,cap-htm', "Expected '=' after parameter 'cap-htm'"],
    ['pseries,9x=1', "Invalid parameter '9x'"],
    [',', "Invalid parameter ''"],
  ])('refuses %s', (text, message) => {
    expect(parseKeyval(text, 'type')).toEqual({ ok: false, message });
  });
});

describe('When parsing -machine strings', () => {
  it('parses the SPEC example', () => {
    const r = parseMachineOption('pseries-7.2,cap-nested-hv=on,cap-rpt-invalidate=on,max-cpu-compat=power9', Q72);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.options.type.name).toBe('pseries-7.2');
    expect(r.options.caps).toEqual({ 'nested-hv': 1, 'rpt-invalidate': 1 });
    expect(r.options.maxCpuCompat?.name).toBe('power9');
  });

  it('records bare pseries resolved, and a missing type as the default machine', () => {
    const bare = parseMachineOption('pseries', Q72);
    const none = parseMachineOption('cap-htm=off', Q72);
    if (!bare.ok || !none.ok) throw new Error('refused');
    expect(bare.options).toMatchObject({ requestedType: 'pseries', type: { name: 'pseries-7.2' } });
    expect(none.options).toMatchObject({ requestedType: null, type: { name: 'pseries-7.2' }, caps: { htm: 0 } });
  });

  it('keeps the last of repeated keys', () => {
    const r = parseMachineOption('pseries,cap-htm=on,cap-htm=off', Q72);
    expect(r.ok && r.options.caps).toEqual({ htm: 0 });
  });

  it.each([
    ['pseries,cap-dawr1=on', 'BOOT-MACHINE-OPTION', "Property 'pseries-7.2-machine.cap-dawr1' not found"],
    ['pseries,cap-foo=on', 'BOOT-MACHINE-OPTION', "Property 'pseries-7.2-machine.cap-foo' not found"],
    ['pseries,max-cpu-compat=POWER9', 'CAP-VALUE-PARSE', 'Invalid compatibility mode "POWER9"'],
    ['pseries,cap-ibs=fixed', 'CAP-VALUE-PARSE', 'Invalid capability mode "fixed" for cap-ibs'],
    ['pseries-2.0', 'MIG-MACHINE-EXISTS', 'unsupported machine type'],
    ['powernv9', 'BOOT-MACHINE-OPTION', 'unsupported machine type (only pseries machines are modelled)'],
  ])('refuses %s', (text, ruleId, message) => {
    expect(parseMachineOption(text, Q72)).toEqual({ ok: false, errors: [expect.objectContaining({ field: 'machine', ruleId, message })] });
  });

  it('names cap-rpt-invalidate on QEMU < 6.1 as BOOT-RPTI-QEMU-OLD', () => {
    const r = parseMachineOption('pseries,cap-rpt-invalidate=on', qemuVersion('6.0'));
    expect(r.ok ? [] : r.errors.map((e) => e.ruleId)).toEqual(['BOOT-RPTI-QEMU-OLD']);
  });

  it('reports every error, not only the first', () => {
    const r = parseMachineOption('pseries,cap-htm=maybe,cap-cfpc=x,bogus=1', Q72);
    expect(r.ok ? 0 : r.errors.length).toBe(3);
  });
});

describe('When resolving -cpu', () => {
  const tcg = { accelerator: 'tcg' as const, cpuModel: 'POWER9' as const };
  const kvm = { accelerator: 'kvm-hv' as const, cpuModel: 'POWER9' as const };

  it('matches aliases case-insensitively', () => {
    const r = resolveCpuModel('POWER9', Q72, tcg);
    expect(r.ok && r.cpu.typeName).toBe('power9_v2.0');
    const r10 = resolveCpuModel('POWER9', qemuVersion('10.2'), tcg);
    expect(r10.ok && r10.cpu.typeName).toBe('power9_v2.2');
  });

  it('resolves host to the host family under KVM only', () => {
    const r = resolveCpuModel('host', Q72, kvm);
    expect(r.ok && r.cpu.facts.family).toBe('POWER9');
    expect(resolveCpuModel('host', Q72, tcg)).toEqual({ ok: false, errors: [expect.objectContaining({ ruleId: 'BOOT-CPU-MODEL', message: "unable to find CPU model 'host'" })] });
  });

  it('refuses models without a spapr-cpu-core type', () => {
    expect(resolveCpuModel('970fx', Q72, tcg)).toEqual({ ok: false, errors: [expect.objectContaining({ message: 'Unable to find sPAPR CPU Core definition' })] });
    expect(resolveCpuModel('power11', Q72, tcg).ok).toBe(false);
    expect(resolveCpuModel('power11', qemuVersion('10.2'), tcg).ok).toBe(true);
  });

  it('refuses the removed compat= property', () => {
    expect(resolveCpuModel('POWER9,compat=power8', Q72, tcg)).toEqual({ ok: false, errors: [expect.objectContaining({ ruleId: 'BOOT-CPU-COMPAT-PROP' })] });
  });

  it('refuses another family under KVM-HV', () => {
    expect(resolveCpuModel('POWER8', Q72, kvm)).toEqual({ ok: false, errors: [expect.objectContaining({ ruleId: 'BOOT-CPU-MODEL' })] });
  });
});

describe('When checking compat modes', () => {
  it('accepts only the lower-case compat_table names', () => {
    expect(parseMaxCpuCompat('power9', Q72)).toMatchObject({ ok: true, compat: { pvr: 0x0f000005 } });
    expect(parseMaxCpuCompat('power11', Q72).ok).toBe(false);
    expect(parseMaxCpuCompat('', Q72)).toEqual({ ok: true, compat: null });
  });

  it('refuses max-cpu-compat above the CPU at reset (BOOT-COMPAT-PVR)', () => {
    const power10 = COMPAT_MODES.find((m) => m.name === 'power10') ?? null;
    expect(maxCpuCompatResetError(CPU_FAMILIES.POWER9.pcrSupported, power10, Q72)).toBe('Compatibility PVR 0x0f000006 not valid for CPU');
    expect(maxCpuCompatResetError(CPU_FAMILIES.POWER10.pcrSupported, power10, Q72)).toBeNull();
  });

  it('lets a POWER10 class run power11 compat (both PCR level 3.10 in compat_table)', () => {
    expect(checkCompat(CPU_FAMILIES.POWER10.pcrSupported, CPU_POWERPC_LOGICAL_3_10_P11, 0, 0, qemuVersion('10.2'))).toBe(true);
  });
});

describe('When choosing the interrupt backend (spapr_irq_init)', () => {
  const irq = (machine: string, cpu: keyof typeof CPU_FAMILIES = 'POWER9') => {
    const r = parseMachineOption(machine, Q72);
    if (!r.ok) throw new Error(machine);
    return spaprIrqInit(r.options, CPU_FAMILIES[cpu].pcrSupported, 'tcg', Q72);
  };

  it.each([
    ['pseries-4.0', 'POWER9', 'xics', 'xics'],
    ['pseries-4.1', 'POWER9', 'dual', 'dual'],
    ['pseries-7.2', 'POWER8', 'dual', 'xics'],
    ['pseries-7.2,max-cpu-compat=power8', 'POWER9', 'dual', 'xics'],
    ['pseries-7.2,ic-mode=xics', 'POWER10', 'xics', 'xics'],
  ] as const)('%s on %s asks %s and runs %s', (machine, cpu, requested, mode) => {
    expect(irq(machine, cpu)).toMatchObject({ requested, mode, refusal: null });
  });

  it('fails a migration only for a device the source has and the destination lacks', () => {
    expect(compareIrqBackendsForMigration(irq('pseries-7.2'), irq('pseries-7.2', 'POWER8')).map((c) => c.values['section'])).toEqual(['xive-source']);
    expect(compareIrqBackendsForMigration(irq('pseries-7.2', 'POWER8'), irq('pseries-7.2'))).toEqual([]);
    expect(compareIrqBackendsForMigration(irq('pseries-7.2,ic-mode=xive'), irq('pseries-7.2'))).toEqual([]);
  });
});
