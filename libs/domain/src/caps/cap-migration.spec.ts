import fc from 'fast-check';
import { compareCapsForMigration, capsSentInStream, migrationEnd } from './cap-migration';
import { resolveGuestConfig } from './guest-caps';
import { GuestSpec, HostFacts } from './host-facts';

const TCG = (version = '7.2.0', model: HostFacts['cpu']['model'] = 'POWER9'): HostFacts => ({ level: 0, cpu: { model }, accelerator: 'tcg', qemu: { version } });
const KERNEL = { release: '6.1.0-50-powerpc64le', cmdline: '' };

function end(host: HostFacts, machine: string, cpu = 'POWER9') {
  const r = resolveGuestConfig(host, { machine, cpu });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return migrationEnd(r.config);
}

const problems = (src: ReturnType<typeof end>, dst: ReturnType<typeof end>) =>
  compareCapsForMigration(src, dst)
    .causes.filter((c) => c.severity !== 'info')
    .map((c) => [c.ruleId, c.severity, c.message]);

describe('When migrating between the recorded QEMU 7.2 TCG POWER9 guests', () => {
  it('does not send cap-large-decr=on (equal to the default) and fails against a destination with it off', () => {
    const src = end(TCG(), 'pseries,cap-large-decr=on');
    expect(capsSentInStream(src).map((s) => s.cap)).toEqual(['hpt-max-page-size']);
    expect(problems(src, end(TCG(), 'pseries,cap-large-decr=off'))).toEqual([
      ['MIG-CAP-HIGHER', 'error', 'cap-large-decr higher level (1) in incoming stream than on destination (0)'],
    ]);
  });

  it('sends cap-large-decr=off and only warns against a destination default of on', () => {
    expect(problems(end(TCG(), 'pseries,cap-large-decr=off'), end(TCG(), 'pseries'))).toEqual([
      ['MIG-CAP-LOWER', 'warning', 'cap-large-decr lower level (0) in incoming stream than on destination (1)'],
    ]);
  });

  it('fails nested-hv on → off', () => {
    expect(problems(end(TCG(), 'pseries,cap-nested-hv=on'), end(TCG(), 'pseries'))).toEqual([
      ['MIG-CAP-HIGHER', 'error', 'cap-nested-hv higher level (1) in incoming stream than on destination (0)'],
    ]);
  });

  it('is silent POWER8 → POWER9: the lowered large-decr is not sent, the destination assumes its own default', () => {
    const result = compareCapsForMigration(end(TCG('7.2.0', 'POWER8'), 'pseries', 'POWER8'), end(TCG(), 'pseries'));
    expect(result.causes.filter((c) => c.severity !== 'info')).toEqual([]);
    expect(result.causes.find((c) => c.ruleId === 'MIG-CAP-SRC-RECON')).toMatchObject({ cap: 'large-decr', values: { sourceEffective: 0, assumed: 1 } });
  });

  it('compares hpt-max-page-size shifts, always sent for pseries ≥ 4.1, with the generic rules real QEMU prints (conformance M14/M15)', () => {
    expect(compareCapsForMigration(end(TCG(), 'pseries'), end(TCG(), 'pseries,cap-hpt-max-page-size=16M')).causes.find((c) => c.ruleId === 'MIG-HPT-MAXPAGESIZE')).toMatchObject({ severity: 'info' });
    expect(problems(end(TCG(), 'pseries'), end(TCG(), 'pseries,cap-hpt-max-page-size=16M'))).toEqual([
      ['MIG-CAP-LOWER', 'warning', 'cap-hpt-max-page-size lower level (16) in incoming stream than on destination (24)'],
    ]);
    expect(problems(end(TCG(), 'pseries,cap-hpt-max-page-size=16M'), end(TCG(), 'pseries'))).toEqual([
      ['MIG-CAP-HIGHER', 'error', 'cap-hpt-max-page-size higher level (24) in incoming stream than on destination (16)'],
    ]);
  });

  it('never sends hpt-max-page-size for pseries-4.0 on QEMU < 10.2', () => {
    expect(capsSentInStream(end(TCG(), 'pseries-4.0,cap-hpt-max-page-size=16M'))).toEqual([]);
  });

  it('has no ccf-assist exception in the stream comparison', () => {
    expect(problems(end(TCG(), 'pseries'), end(TCG(), 'pseries,cap-ccf-assist=off'))).toEqual([
      ['MIG-CAP-HIGHER', 'error', 'cap-ccf-assist higher level (1) in incoming stream than on destination (0)'],
    ]);
  });
});

describe('When the destination QEMU is older or newer', () => {
  it('fails on a subsection the destination does not know (dawr1 from 10.x to 9.x)', () => {
    const src = end(TCG('10.0.0', 'POWER10'), 'pseries-9.2,cap-dawr1=off', 'POWER10');
    const dst = end(TCG('9.2.0', 'POWER10'), 'pseries-9.2', 'POWER10');
    expect(problems(src, dst)).toEqual([['MIG-CAP-UNKNOWN-SUBSECTION', 'error', "error while loading state for instance 0x0 of device 'spapr'"]]);
  });

  it('never sends ail-mode-3 before 9.1, so a source with it off passes silently', () => {
    const src = end(TCG('9.0.0'), 'pseries-9.0,cap-ail-mode-3=off');
    expect(capsSentInStream(src).map((s) => s.cap)).not.toContain('ail-mode-3');
    expect(problems(src, end(TCG('9.0.0'), 'pseries-9.0'))).toEqual([]);
  });

  it('fails a source default ail-mode-3 against a destination with it off', () => {
    expect(problems(end(TCG('8.1.0'), 'pseries-8.1'), end(TCG('8.1.0'), 'pseries-8.1,cap-ail-mode-3=off'))).toEqual([
      ['MIG-CAP-HIGHER', 'error', 'cap-ail-mode-3 higher level (1) in incoming stream than on destination (0)'],
    ]);
  });

  it('sends every cap by the uniform rule on 10.2 (hpt-max-page-size only when set and different)', () => {
    expect(capsSentInStream(end(TCG('10.2.2'), 'pseries'))).toEqual([]);
    expect(capsSentInStream(end(TCG('10.2.2'), 'pseries,cap-hpt-max-page-size=16M')).map((s) => s.cap)).toEqual(['hpt-max-page-size']);
  });
});

describe('When pseries ≤ 4.0 sets hpt-max-page-size (QEMU 4.1 … 10.1)', () => {
  // cap_hpt_maxpagesize_migrate_needed returns !pre_4_1_migration: the value never travels, so
  // the destination compares its own default with its own command line, even between twins.
  it('fails a lower setting and warns about a higher one between identical ends', () => {
    const low = end(TCG(), 'pseries-4.0,cap-hpt-max-page-size=4k');
    expect(problems(low, low)).toEqual([['MIG-CAP-HIGHER', 'error', 'cap-hpt-max-page-size higher level (16) in incoming stream than on destination (12)']]);
    const high = end(TCG(), 'pseries-4.0,cap-hpt-max-page-size=16M');
    expect(problems(high, high)).toEqual([['MIG-CAP-LOWER', 'warning', 'cap-hpt-max-page-size lower level (16) in incoming stream than on destination (24)']]);
  });
});

describe('When both ends have the same configuration (property)', () => {
  const machines = ['pseries', 'pseries-4.0', 'pseries-5.0', 'pseries-2.12', 'pseries-6.1'];
  const caps = ['htm', 'large-decr', 'nested-hv', 'ccf-assist', 'fwnmi', 'rpt-invalidate', 'cfpc', 'ibs', 'hpt-max-page-size'];
  const values: Record<string, string[]> = { cfpc: ['broken', 'workaround', 'fixed'], ibs: ['broken', 'fixed-ccd', 'fixed-na'], 'hpt-max-page-size': ['4k', '64k', '16M'] };
  const arbitrarySpec = fc.record({
    machine: fc.constantFrom(...machines),
    caps: fc.dictionary(fc.constantFrom(...caps), fc.nat(2)),
    cpu: fc.constantFrom('POWER8', 'POWER9', 'POWER10', 'power7'),
    qemu: fc.constantFrom('7.2.0', '8.2.0', '9.1.0'),
  });
  it('yields no error and no warning', () => {
    fc.assert(
      fc.property(arbitrarySpec, (s) => {
        const opts = Object.entries(s.caps).map(([c, i]) => `cap-${c}=${(values[c] ?? ['off', 'on', 'on'])[i]}`);
        const spec: GuestSpec = { machine: [s.machine, ...opts].join(','), cpu: s.cpu, kernel: KERNEL };
        const host = TCG(s.qemu);
        const r = resolveGuestConfig(host, spec);
        if (!r.ok) return true; // e.g. pseries-2.12 gone: nothing to migrate
        const e = migrationEnd(r.config);
        // The one exception QEMU's code makes (pinned below): pseries ≤ 4.0 never sends hpt-max-page-size.
        if (e.machine.major < 4 || (e.machine.major === 4 && e.machine.minor === 0)) {
          if (e.commandLine['hpt-max-page-size'] !== undefined) return true;
        }
        return compareCapsForMigration(e, e).causes.every((c) => c.severity === 'info');
      }),
    );
  });
});

describe('When the source builds the stream (MIG-CAP-SEND)', () => {
  it('sends a cap given on the command line with a value other than its default, and says what travels', () => {
    // cap-sbbc=workaround is its default: given, but not sent.
    const r = compareCapsForMigration(end(TCG(), 'pseries,cap-cfpc=broken,cap-sbbc=workaround'), end(TCG(), 'pseries'));
    expect(r.sent.map((s) => [s.cap, s.level, s.reason])).toEqual([
      ['cfpc', 0, 'cmdline-differs-from-default'],
      ['hpt-max-page-size', 16, 'hpt-max-page-size-always-sent'],
    ]);
    expect(r.causes.find((c) => c.ruleId === 'MIG-CAP-SEND')).toEqual(expect.objectContaining({ severity: 'info', values: { sent: 'cfpc,hpt-max-page-size' } }));
  });

  it('sends no cap subsection from QEMU 10.2, where hpt-max-page-size follows the uniform rule', () => {
    const r = compareCapsForMigration(end(TCG('10.2.2'), 'pseries'), end(TCG('10.2.2'), 'pseries'));
    expect(r.causes.find((c) => c.ruleId === 'MIG-CAP-SEND')?.message).toBe('no cap subsection in the stream');
  });
});
