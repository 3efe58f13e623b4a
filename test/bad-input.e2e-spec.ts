import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, runCli, storeFingerprint, tempDir } from './e2e-harness';
import corpus from './fixtures/bad-input/corpus.json';

interface BadInputCase {
  readonly name: string;
  readonly args: readonly string[];
  readonly file?: string;
  readonly field: string;
}

const FIXTURES = join(REPO, 'test/fixtures/bad-input');
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('When the CLI is given bad input', () => {
  const seeded = join(tempDir('spapr-bad-'), 'seeded.db');
  beforeAll(() => {
    expect(runCli(seeded, ['import', join(REPO, 'examples/fleet.jsonl')]).code).toBe(0);
  });

  it('has a corpus of at least 40 documents', () => expect(corpus.length).toBeGreaterThanOrEqual(40));

  it.each((corpus as BadInputCase[]).map((c) => [c.name, c] as const))('%s: exits 2, names the field, and leaves the store byte for byte unchanged', (_name, c) => {
    const db = join(tempDir(), 'planner.db');
    copyFileSync(seeded, db);
    const before = storeFingerprint(db);
    const args = c.args.map((a) => (a === '{file}' ? join(FIXTURES, c.file!) : a));
    const run = runCli(db, args);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    // The field opens an error line (`  kvm.caps.X: reason`), or is the option commander names, or the conflict.
    expect(run.stderr).toMatch(new RegExp(`^(\\s+${escape(c.field)}: |error: ((required )?option ')?${escape(c.field)}[ (])`, 'm'));
    expect(run.stderr).not.toMatch(/internal error|at Object\.|\n\s+at /);
    expect(storeFingerprint(db)).toBe(before);
  });

  it('reports the same refusal as JSON with --json', () => {
    const db = join(tempDir(), 'planner.db');
    copyFileSync(seeded, db);
    const run = runCli(db, ['--json', 'record', 'host', join(FIXTURES, '04-gtse-out-of-range.json')]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual(expect.objectContaining({ error: 'rejected', errors: [{ field: 'kvm.caps.KVM_CAP_PPC_GTSE', reason: 'must be 0, 1 or 2' }] }));
  });
});
