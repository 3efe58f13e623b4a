import { readdirSync, readFileSync } from 'fs';
import { join, relative, resolve } from 'path';
import { RULE_IDS } from './rule-ids';

const LIBS = resolve(__dirname, '../../..');

/** Spec files that only list IDs (the catalogue and its ID list) do not count: a rule needs a spec of its behaviour. */
const LISTS_ONLY = ['domain/src/rules/', 'domain/src/caps/rule-ids.contract.spec.ts'];

function specFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : specFiles(path);
    return e.name.endsWith('.spec.ts') && !LISTS_ONLY.some((p) => relative(LIBS, path).startsWith(p)) ? [path] : [];
  });
}

// The floor: every rule in rules.md has a given/when/then spec that fails without it.
describe('When listing the specs under libs/', () => {
  it('finds every rule ID spelled out in a behaviour spec', () => {
    const text = specFiles(LIBS).map((f) => readFileSync(f, 'utf8')).join('\n');
    const mentioned = (id: string): boolean => new RegExp(`(?<![A-Z0-9-])${id}(?![A-Z0-9-])`).test(text);
    expect(RULE_IDS.filter((id) => !mentioned(id))).toEqual([]);
  });
});
