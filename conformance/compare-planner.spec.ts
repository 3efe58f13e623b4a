import { CauseMap } from './causes';
import { acceptableVerdicts, CliCall, closingLine, formatComparison, judge, JudgeInput, PlannerAnswer, PlannerFinding } from './compare-planner';
import { Outcome } from './types';

const RADIX = '1900200000a0050000000000000000000000000000008040400040';
const TCG_W = "TCG doesn't support requested feature, cap-cfpc=workaround";

const ok: CliCall = { exitCode: 0, stderr: '' };
const finding = (ruleId: string, severity: PlannerFinding['severity'], values?: Record<string, unknown>): PlannerFinding => ({ ruleId, severity, message: `${ruleId} message`, ...(values ? { values } : {}) });
const answer = (verdict: PlannerAnswer['verdict'], findings: PlannerFinding[], contract: PlannerAnswer['contract'] = null): CliCall => ({
  exitCode: verdict === 'unsafe' ? 1 : 0,
  json: { question: {}, verdict, outcome: 'x', contract, findings, position: 3 },
  stderr: '',
});

const bootedOutcome: Outcome = { kind: 'booted', mmu: 'radix', ov5: RADIX, warnings: [TCG_W], details: [] };
const bootedMap: CauseMap = { outcome: 'booted', causes: [{ text: "TCG doesn't support requested feature", rule: 'BOOT-CAP-TCG-WARN' }] };
const refusedOutcome: Outcome = { kind: 'qemu-refused', message: 'No H_RPT_INVALIDATE support in TCG | Try appending -machine cap-rpt-invalidate=off', warnings: [], details: [] };
const refusedMap: CauseMap = { outcome: 'qemu-refused', causes: [{ text: 'No H_RPT_INVALIDATE support in TCG', rule: 'BOOT-RPTI-TCG' }] };

const input = (over: Partial<JudgeInput>): JudgeInput => ({
  id: 'X01',
  verb: 'boot',
  observed: bootedOutcome,
  causeMap: bootedMap,
  importCall: ok,
  checkCall: answer('warn', [finding('BOOT-CAP-TCG-WARN', 'warning')], { mmu: 'radix', ov5: RADIX }),
  observedGuestId: 'X01',
  observedBootCall: ok,
  recordedBoots: [{ guestId: 'X01', notes: [] }],
  ...over,
});

describe('acceptableVerdicts (the verdict class of a real outcome)', () => {
  it('booted → safe or warn; failures → unsafe; completed → safe; completed with a warning → warn', () => {
    expect(acceptableVerdicts('booted')).toEqual(['safe', 'warn']);
    for (const k of ['qemu-refused', 'qemu-crashed', 'guest-panic', 'migration-failed'] as const) expect(acceptableVerdicts(k)).toEqual(['unsafe']);
    expect(acceptableVerdicts('migration-completed')).toEqual(['safe']);
    expect(acceptableVerdicts('migration-completed-with-warning')).toEqual(['warn']);
    expect(acceptableVerdicts('timeout')).toEqual([]);
  });
});

describe('judge', () => {
  describe('When the guest booted', () => {
    it('passes with a warn verdict, the warning rule, and the observed ov5 and MMU', () => {
      const c = judge(input({}));
      expect(c.problems).toEqual([]);
      expect(c.pass).toBe(true);
    });
    it('fails when the predicted ov5 differs from the observed one', () => {
      const c = judge(input({ checkCall: answer('warn', [finding('BOOT-CAP-TCG-WARN', 'warning')], { mmu: 'radix', ov5: '1700200000a005000000000000000000000000000000804040' }) }));
      expect(c.pass).toBe(false);
      expect(c.problems.join()).toMatch(/predicted ov5 1700.* observed 1900/);
    });
    it('fails when the predicted MMU differs', () => {
      expect(judge(input({ checkCall: answer('warn', [finding('BOOT-CAP-TCG-WARN', 'warning')], { mmu: 'hash', ov5: RADIX }) })).problems.join()).toMatch(/predicted mmu hash, observed radix/);
    });
    it('fails when the planner calls a boot that happened unsafe', () => {
      const c = judge(input({ checkCall: answer('unsafe', [finding('BOOT-CAP-TCG-WARN', 'warning'), finding('BOOT-RPTI-TCG', 'error')], null) }));
      expect(c.problems).toEqual(expect.arrayContaining(['verdict unsafe, real outcome booted needs safe or warn', expect.stringMatching(/no predicted contract/)]));
    });
    it('fails when the rule naming a real warning is missing', () => {
      expect(judge(input({ checkCall: answer('safe', [], { mmu: 'radix', ov5: RADIX }) })).problems).toEqual(['no warning BOOT-CAP-TCG-WARN among the planner\'s findings']);
    });
    it('fails when recording the observed boot gives MODEL-DISAGREES', () => {
      const c = judge(input({ recordedBoots: [{ guestId: 'X01', notes: [{ ruleId: 'MODEL-DISAGREES', message: 'observed ov5 … decodes to mmu=radix, gtse=false' }] }] }));
      expect(c.problems).toEqual([expect.stringMatching(/^recording X01 with its observed ov5: MODEL-DISAGREES/)]);
    });
    it('fails when the observed boot was not recorded', () => {
      expect(judge(input({ recordedBoots: [], observedBootCall: { exitCode: 2, json: { error: 'bad-input', errors: [{ field: 'hostId' }] }, stderr: '' } })).problems).toEqual([
        'record boot (observed) exited 2: [{"field":"hostId"}]',
        'the observed boot of X01 was not recorded',
      ]);
    });
    it('notes a real warning that no rule names, without failing', () => {
      const observed = { ...bootedOutcome, warnings: [TCG_W, 'Number of SMP cpus requested (2) exceeds the recommended cpus supported by KVM (1)'] };
      const c = judge(input({ observed }));
      expect(c.pass).toBe(true);
      expect(c.notes).toEqual(['real warning not named by a rule: Number of SMP cpus requested (2) exceeds the recommended cpus supported by KVM (1)']);
    });
  });

  describe('When real QEMU refused', () => {
    const refusedInput = (checkCall: CliCall): JudgeInput => input({ observed: refusedOutcome, causeMap: refusedMap, checkCall, observedGuestId: undefined, observedBootCall: undefined, recordedBoots: [] });
    it('passes with unsafe and the rule that names the cause as an error', () => {
      expect(judge(refusedInput(answer('unsafe', [finding('BOOT-RPTI-TCG', 'error'), finding('BOOT-CAP-TCG-WARN', 'warning')]))).pass).toBe(true);
    });
    it('fails with another rule, showing the planner\'s findings', () => {
      const c = judge(refusedInput(answer('unsafe', [finding('BOOT-CAP-UNSUPPORTED-TCG', 'error')])));
      expect(c.problems).toEqual(["no error BOOT-RPTI-TCG among the planner's findings"]);
      expect(c.planner.findings).toEqual(['BOOT-CAP-UNSUPPORTED-TCG error: BOOT-CAP-UNSUPPORTED-TCG message']);
    });
    it('fails when the rule is there as a warning only', () => {
      expect(judge(refusedInput(answer('warn', [finding('BOOT-RPTI-TCG', 'warning')]))).problems).toEqual([
        'verdict warn, real outcome qemu-refused needs unsafe',
        'BOOT-RPTI-TCG is warning, real outcome needs error',
      ]);
    });
    it('fails when the exit code does not match the verdict', () => {
      const call = { ...answer('unsafe', [finding('BOOT-RPTI-TCG', 'error')]), exitCode: 0 };
      expect(judge(refusedInput(call)).problems).toEqual(['exit code 0 for verdict unsafe']);
    });
    it('fails when the planner gave no answer (bad input)', () => {
      const c = judge(refusedInput({ exitCode: 2, json: { error: 'bad-input', errors: [{ field: 'machine', reason: 'unknown' }] }, stderr: '' }));
      expect(c.problems).toEqual(['check boot exited 2: [{"field":"machine","reason":"unknown"}]']);
      expect(c.planner.verdict).toBeUndefined();
    });
    it('fails when import failed', () => {
      const c = judge({ ...refusedInput(answer('unsafe', [finding('BOOT-RPTI-TCG', 'error')])), importCall: { exitCode: 2, stderr: 'error: bad input; nothing was written\n  level: must be 0' } });
      expect(c.problems).toEqual(['import exited 2: error: bad input; nothing was written |   level: must be 0']);
    });
  });

  describe('the planner documents of a nested case (Observation.plannerProblems)', () => {
    it('fails when a host level had no KVM probe to build its snapshot from, even if the planner answered right', () => {
      const c = judge({ ...input({}), inputProblems: ['L1 (N01-l2-default-l1) ran no KVM probe: no level-1 host snapshot'] });
      expect(c.pass).toBe(false);
      expect(c.problems).toEqual(['planner input: L1 (N01-l2-default-l1) ran no KVM probe: no level-1 host snapshot']);
    });
  });

  describe('the cause mapping (conformance/causes.ts) is checked against the real run', () => {
    it('fails when the real outcome class is not the one the mapping was reviewed for', () => {
      const c = judge(input({ causeMap: refusedMap }));
      expect(c.problems).toEqual(expect.arrayContaining(['cause mapping was reviewed for a qemu-refused outcome but real QEMU gave booted: review conformance/causes.ts']));
    });
    it('fails when the cause text is not in the real outcome', () => {
      const c = judge(input({ observed: { ...refusedOutcome, message: 'something else' }, causeMap: refusedMap, checkCall: answer('unsafe', [finding('BOOT-RPTI-TCG', 'error')]), observedGuestId: undefined, recordedBoots: [] }));
      expect(c.problems).toEqual(['cause text "No H_RPT_INVALIDATE support in TCG" is not in the real outcome: review conformance/causes.ts']);
    });
    it('fails when no rule names the cause, whatever the planner says', () => {
      const map: CauseMap = { outcome: 'qemu-refused', causes: [{ text: 'No H_RPT_INVALIDATE', rule: null }] };
      const c = judge(input({ observed: refusedOutcome, causeMap: map, checkCall: answer('unsafe', [finding('BOOT-RPTI-TCG', 'error')]), observedGuestId: undefined, recordedBoots: [] }));
      expect(c.problems).toEqual(['no rule names the real cause "No H_RPT_INVALIDATE"']);
    });
    it('fails when there is no mapping, or the outcome was not classified', () => {
      expect(judge(input({ causeMap: undefined })).problems).toContain('no cause mapping for this case in conformance/causes.ts');
      const t = judge(input({ observed: { kind: 'timeout', warnings: [], details: [] }, causeMap: { outcome: 'timeout', causes: [] }, checkCall: answer('safe', []), observedGuestId: undefined, recordedBoots: [] }));
      expect(t.problems).toEqual(['real outcome not classified (timeout)']);
    });
  });

  describe('When a migration ran', () => {
    const failed: Outcome = { kind: 'migration-failed', mmu: 'radix', ov5: RADIX, message: 'destination refused to start: No H_RPT_INVALIDATE support in TCG', warnings: [], details: [] };
    const map: CauseMap = { outcome: 'migration-failed', causes: [{ text: 'No H_RPT_INVALIDATE support in TCG', rule: 'MIG-DEST-CAP-APPLY', quotes: 'BOOT-RPTI-TCG' }] };
    const mig = (over: Partial<JudgeInput>): JudgeInput => input({ verb: 'migration', observed: failed, causeMap: map, observedGuestId: undefined, observedBootCall: undefined, recordedBoots: [{ guestId: 'X01', notes: [] }], ...over });
    it('checks the quoted boot rule of MIG-DEST-CAP-APPLY', () => {
      expect(judge(mig({ checkCall: answer('unsafe', [finding('MIG-DEST-CAP-APPLY', 'error', { quotedRule: 'BOOT-RPTI-TCG' })]) })).pass).toBe(true);
      expect(judge(mig({ checkCall: answer('unsafe', [finding('MIG-DEST-CAP-APPLY', 'error', { quotedRule: 'BOOT-CAP-UNSUPPORTED-TCG' })]) })).problems).toEqual([
        'MIG-DEST-CAP-APPLY quotes BOOT-CAP-UNSUPPORTED-TCG, real cause is BOOT-RPTI-TCG',
      ]);
    });
    it('a completed migration needs safe; a completed one with a cap warning needs warn with MIG-CAP-LOWER', () => {
      const done: Outcome = { kind: 'migration-completed', mmu: 'radix', ov5: RADIX, warnings: [], details: [] };
      expect(judge(mig({ observed: done, causeMap: { outcome: 'migration-completed', causes: [] }, checkCall: answer('safe', []) })).pass).toBe(true);
      expect(judge(mig({ observed: done, causeMap: { outcome: 'migration-completed', causes: [] }, checkCall: answer('warn', [finding('MIG-CAP-LOWER', 'warning')]) })).pass).toBe(false);
      const w = 'cap-dfp lower level (0) in incoming stream than on destination (1)';
      const warned: Outcome = { ...done, kind: 'migration-completed-with-warning', message: w, warnings: [w] };
      const wmap: CauseMap = { outcome: 'migration-completed-with-warning', causes: [{ text: 'cap-dfp lower level', rule: 'MIG-CAP-LOWER' }] };
      expect(judge(mig({ observed: warned, causeMap: wmap, checkCall: answer('warn', [finding('MIG-CAP-LOWER', 'warning')]) })).pass).toBe(true);
      expect(judge(mig({ observed: warned, causeMap: wmap, checkCall: answer('safe', []) })).problems).toEqual([
        'verdict safe, real outcome migration-completed-with-warning needs warn',
        "no warning MIG-CAP-LOWER among the planner's findings",
      ]);
    });
    it('a migration whose guest stalled on the destination needs unsafe: safe fails, and so does a cause no rule names', () => {
      const stall = "the vCPU stays halted with interrupts enabled, long after the guest's 1 s timer was due: its decrementer interrupt was lost in the migration";
      const w = 'cap-dfp lower level (0) in incoming stream than on destination (1)';
      const stalled: Outcome = { kind: 'migration-completed-guest-stalled', mmu: 'radix', ov5: RADIX, message: 'guest stalled on the destination: 0 ticks in 5 s after the switch-over', warnings: [w], details: [stall] };
      const smap: CauseMap = {
        outcome: 'migration-completed-guest-stalled',
        causes: [{ text: 'its decrementer interrupt was lost in the migration', rule: null }, { text: 'cap-dfp lower level', rule: 'MIG-CAP-LOWER', severity: 'warning' }],
      };
      expect(acceptableVerdicts('migration-completed-guest-stalled')).toEqual(['unsafe']);
      expect(judge(mig({ observed: stalled, causeMap: smap, checkCall: answer('warn', [finding('MIG-CAP-LOWER', 'warning')]) })).problems).toEqual([
        'no rule names the real cause "its decrementer interrupt was lost in the migration"',
        'verdict warn, real outcome migration-completed-guest-stalled needs unsafe',
      ]);
      // Were a rule to name it (X-DECR here), unsafe with that error and the cap warning would pass.
      const named: CauseMap = { ...smap, causes: [{ ...smap.causes[0], rule: 'X-DECR' }, smap.causes[1]] };
      expect(judge(mig({ observed: stalled, causeMap: named, checkCall: answer('unsafe', [finding('X-DECR', 'error'), finding('MIG-CAP-LOWER', 'warning')]) })).pass).toBe(true);
      // A completed-migration mapping no longer fits a stalled guest: review it.
      expect(judge(mig({ observed: stalled, causeMap: { outcome: 'migration-completed', causes: [] }, checkCall: answer('safe', []) })).problems).toContain(
        'cause mapping was reviewed for a migration-completed outcome but real QEMU gave migration-completed-guest-stalled: review conformance/causes.ts',
      );
    });
    it('fails when recording the source boot with its observed ov5 gives MODEL-DISAGREES', () => {
      const c = judge(mig({ checkCall: answer('unsafe', [finding('MIG-DEST-CAP-APPLY', 'error', { quotedRule: 'BOOT-RPTI-TCG' })]), recordedBoots: [{ guestId: 'X01', notes: [{ ruleId: 'MODEL-DISAGREES', message: 'm' }] }] }));
      expect(c.problems).toEqual(['recording X01 with its observed ov5: MODEL-DISAGREES: m']);
    });
  });
});

describe('formatComparison and closingLine', () => {
  it('prints a row per case, each mismatch with the real message and the planner findings, and N passed, N failed', () => {
    const pass = judge(input({}));
    const fail = judge(input({ id: 'X02', observed: refusedOutcome, causeMap: refusedMap, checkCall: answer('unsafe', [finding('BOOT-CAP-UNSUPPORTED-TCG', 'error')]), observedGuestId: undefined, recordedBoots: [] }));
    const text = formatComparison([pass, fail]);
    expect(text.split('\n')[2]).toMatch(/^pass \| X01 +\| boot +\| booted → safe\/warn BOOT-CAP-TCG-WARN +\| warn x BOOT-CAP-TCG-WARN$/);
    expect(text).toContain('  X02 (check boot)\n    real:    qemu-refused: No H_RPT_INVALIDATE support in TCG | Try appending -machine cap-rpt-invalidate=off\n    planner: unsafe (x)\n             BOOT-CAP-UNSUPPORTED-TCG error: BOOT-CAP-UNSUPPORTED-TCG message\n');
    expect(closingLine([pass, fail])).toBe('1 passed, 1 failed');
    expect(closingLine([])).toBe('0 passed, 0 failed');
  });
});
