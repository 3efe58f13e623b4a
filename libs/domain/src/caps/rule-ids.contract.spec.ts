import { RULE, RULE_IDS, isRuleId } from '@spapr/domain/rules/rule-ids';

describe('When listing rule IDs', () => {
  it('has every ID exactly once', () => {
    expect(RULE_IDS).toHaveLength(73); // rules.md's 65, GUEST-CONTRACT-UNKNOWN and seven from the conformance runs
    expect(new Set(RULE_IDS).size).toBe(RULE_IDS.length);
  });

  it('exposes each ID as a constant spelled with underscores', () => {
    expect(RULE.BOOT_RPTI_TCG).toBe('BOOT-RPTI-TCG');
    expect(RULE.MIG_CAP_UNKNOWN_SUBSECTION).toBe('MIG-CAP-UNKNOWN-SUBSECTION');
    expect(Object.keys(RULE)).toHaveLength(RULE_IDS.length);
  });

  it('recognises IDs', () => {
    expect(isRuleId('CAS-MMU-NEGOTIATED')).toBe(true);
    expect(isRuleId('CAS-MMU')).toBe(false);
  });
});
