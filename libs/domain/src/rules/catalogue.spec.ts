import { existsSync, readFileSync } from 'fs';
import { resolve } from 'path';
import { CATALOGUE, ruleDefinition } from './catalogue';
import { RULE_IDS, isRuleId } from './rule-ids';

/** CI checks the clone out beside `shared/`, so rules.md is at `../shared/domain/rules.md` from the repo root. */
const RULES_MD = resolve(__dirname, '../../../..', '../shared/domain/rules.md');

interface RulesMdRow {
  readonly id: string;
  readonly ops: string;
  readonly severity: string;
  readonly template: string;
  readonly source: string;
}

/** The rows of rules.md's tables whose first cell is a rule ID (cells are ` | `-separated). */
function rulesMdRows(text: string): RulesMdRow[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('| '))
    .map((line) => line.slice(2, line.endsWith(' |') ? -2 : undefined).split(' | '))
    .map((cells) => cells.map((c) => c.trim()))
    .filter((cells) => /^`?[A-Z][A-Z0-9]*(-[A-Z0-9]+)+`?$/.test(cells[0] ?? ''))
    .map(([id = '', ops = '', severity = '', template = '', , source = '']) => ({ id: id.replace(/`/g, ''), ops, severity, template, source }));
}

const withRulesMd = (check: (rows: RulesMdRow[]) => void): void => {
  if (!existsSync(RULES_MD)) {
    console.warn(`rules.md not found at ${RULES_MD}: catalogue not compared with it (CI has shared/ beside the clone)`);
    return;
  }
  check(rulesMdRows(readFileSync(RULES_MD, 'utf8')));
};

describe('When listing the catalogue', () => {
  it('has an entry for every rule ID, and every entry is keyed by a rule ID', () => {
    expect(Object.keys(CATALOGUE).sort()).toEqual([...RULE_IDS].sort());
    expect(Object.keys(CATALOGUE).filter((k) => !isRuleId(k))).toEqual([]);
  });

  it('names a remedy for every rule that blocks or warns, and none for pure explanations', () => {
    const entries = Object.entries(CATALOGUE);
    expect(entries.filter(([, d]) => d.severity.some((s) => s !== 'info') && d.remedy === null).map(([id]) => id)).toEqual([]);
    expect(entries.filter(([, d]) => d.severity.every((s) => s === 'info') && d.remedy !== null).map(([id]) => id)).toEqual([]);
  });
});

// Contract: these literal IDs are spelled out so that renaming one fails here.
describe('When looking rules up by their literal ID', () => {
  it('defines BOOT-NO-GTSE-NO-RPTI as a boot panic fixed by cap-rpt-invalidate or dropping radix_hcall_invalidate', () => {
    const d = ruleDefinition('BOOT-NO-GTSE-NO-RPTI');
    expect(d).toMatchObject({ ops: ['boot'], severity: ['error'], source: 'Linux `pSeries_setup_arch` (arch/powerpc/platforms/pseries/setup.c, since v5.9)' });
    expect(d.remedy).toBe('boot with cap-rpt-invalidate=on on a KVM-HV host whose KVM_CAP_PPC_RPT_INVALIDATE=1, or drop radix_hcall_invalidate=on');
  });

  it('gives NEST-GTSE-INHERITED both severities and the L2 remedy', () => {
    expect(ruleDefinition('NEST-GTSE-INHERITED')).toMatchObject({
      ops: ['boot', 'nesting'],
      severity: ['error', 'warning'],
      remedy: 'boot the L2 with radix_hcall_invalidate=on and cap-rpt-invalidate=on',
    });
  });

  it('points BOOT-CAP-SPECTRE-KVM at the hint QEMU prints', () => {
    expect(ruleDefinition('BOOT-CAP-SPECTRE-KVM').remedy).toContain('append -machine cap-<cfpc|sbbc|ibs>=<the host level>');
  });

  it('has no template for the info facts rules.md writes as "—"', () => {
    expect(ruleDefinition('DEF-CAPS-CLASS')).toMatchObject({ ops: ['boot', 'migration'], severity: ['info'], template: null, remedy: null });
  });

  it('keeps MIG-LARGE-DECR as error, warning and info', () => {
    expect(ruleDefinition('MIG-LARGE-DECR').severity).toEqual(['error', 'warning', 'info']);
  });

  it.each([
    ['BOOT-MACHINE-OPTION', ['boot'], ['error']],
    ['BOOT-IRQ-MODE', ['boot'], ['error']],
    ['MIG-IRQ-BACKEND', ['migration'], ['error']],
    ['BOOT-IBS-FIXED-NA-ABORT', ['boot'], ['error']],
    ['NEST-XIVE-EMULATED', ['boot', 'migration', 'nesting'], ['warning', 'error']],
    ['BOOT-LE-VSX-OFF', ['boot'], ['error']],
    ['MIG-TCG-DECR-LOST', ['migration'], ['error']],
  ] as const)('defines the planner rule %s', (id, ops, severity) => {
    expect(ruleDefinition(id)).toMatchObject({ ops, severity });
  });
});

describe('When rules.md is beside the clone', () => {
  it('has every ID of its tables in the catalogue', () => {
    withRulesMd((rows) => {
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((r) => r.id).filter((id) => !isRuleId(id))).toEqual([]);
    });
  });

  it('carries its operations, severities, templates and sources verbatim', () => {
    withRulesMd((rows) => {
      for (const row of rows) {
        if (!isRuleId(row.id)) continue; // reported by the test above
        const d = ruleDefinition(row.id);
        const template = row.template === '—' ? null : /^`[^`]*`$/.test(row.template) ? row.template.slice(1, -1) : row.template;
        expect({ id: row.id, ops: [...d.ops].sort(), severity: d.severity, template: d.template, source: d.source }).toEqual({
          id: row.id,
          ops: row.ops.split(',').map((o) => o.trim()).sort(),
          severity: row.severity.split('/').map((s) => s.trim()),
          template,
          source: row.source,
        });
      }
    });
  });
});
