import { isRuleId } from '@spapr/domain/rules/rule-ids';
import { buildCases } from './cases';
import { CAUSES } from './causes';
import { causeSeverity } from './compare-planner';

const env = { kernelRelease: '6.1.0-50-powerpc64le', hostKernelRelease: '6.1.0-host', observedAt: '2026-11-25T00:00:00Z' };
const cases = buildCases(env);
const RULE_ID = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/;

describe('cause mapping (real outcome → rule)', () => {
  it('maps every case, and only cases that exist', () => {
    expect(Object.keys(CAUSES).sort()).toEqual(cases.map((c) => c.id).sort());
  });
  it('gives a failure exactly one cause, named by a rule ID', () => {
    for (const [id, m] of Object.entries(CAUSES)) {
      if (causeSeverity(m.outcome) === 'error') expect({ id, n: m.causes.filter((c) => causeSeverity(m.outcome, c) === 'error').length }).toEqual({ id, n: 1 });
      for (const c of m.causes) {
        expect(c.text.length).toBeGreaterThan(0);
        if (c.rule !== null) expect(c.rule).toMatch(RULE_ID);
      }
    }
  });
  it('names only rule IDs the planner defines (rules.md and the catalogue additions)', () => {
    const rules = Object.values(CAUSES).flatMap((m) => m.causes.flatMap((c) => [c.rule, c.quotes]));
    for (const r of rules) if (r !== null && r !== undefined) expect({ r, known: isRuleId(r) }).toEqual({ r, known: true });
  });
  it('maps the outcome class of the case kind (boots boot, migrations migrate)', () => {
    for (const c of cases) {
      const o = CAUSES[c.id].outcome;
      if (c.kind === 'migration' || (c.kind === 'nested' && c.migrate)) expect({ id: c.id, o }).toEqual({ id: c.id, o: expect.stringMatching(/^migration-/) });
      else expect({ id: c.id, o }).toEqual({ id: c.id, o: expect.not.stringMatching(/^migration-/) });
    }
  });
  it('names every completed-with-warning migration MIG-CAP-LOWER (the acceptance), and MIG-DEST-CAP-APPLY with its boot rule', () => {
    for (const m of Object.values(CAUSES)) {
      // A nested (KVM) destination adds its XIVE fallback to whatever the stream warned about.
      if (m.outcome === 'migration-completed-with-warning') {
        const rules = m.causes.map((c) => c.rule).filter((r) => r !== 'NEST-XIVE-EMULATED');
        expect(rules.every((r) => r === 'MIG-CAP-LOWER')).toBe(true);
      }
      // A stalled guest: the lost decrementer, and a cap-lower warning stays a warning.
      if (m.outcome === 'migration-completed-guest-stalled') {
        expect(m.causes[0]).toEqual({ text: 'its decrementer interrupt was lost in the migration', rule: 'MIG-TCG-DECR-LOST' });
        for (const c of m.causes.slice(1)) expect(c).toMatchObject({ rule: 'MIG-CAP-LOWER', severity: 'warning' });
      }
      for (const c of m.causes) if (c.rule === 'MIG-DEST-CAP-APPLY') expect(c.quotes).toMatch(RULE_ID);
    }
  });
});
