import { join } from 'node:path';
import { cliJson as json, REPO, runCli, tempDir } from './e2e-harness';

describe('When hosts and guests are listed as of a past position', () => {
  const db = join(tempDir(), 'planner.db');
  let position: number;
  let hostsThen: unknown;
  let guestsThen: unknown;

  beforeAll(() => {
    json(db, 'import', join(REPO, 'examples/fleet.jsonl'));
    position = (json(db, 'verify') as { headPosition: number }).headPosition;
    hostsThen = json(db, 'hosts');
    guestsThen = json(db, 'guests');
    json(db, 'record', 'stop', '--guest', 'vm-web-01');
    json(db, 'record', 'stop', '--guest', 'vm-legacy-01');
    json(db, 'retire', '--host', 'p8-old-01');
  });

  it('lists exactly what the listing said at that position, not what changed since', () => {
    expect(json(db, 'hosts')).not.toEqual(hostsThen);
    expect(json(db, 'guests')).not.toEqual(guestsThen);
    expect(json(db, 'hosts', '--as-of', `#${position}`)).toEqual(hostsThen);
    expect(json(db, 'guests', '--as-of', `#${position}`)).toEqual(guestsThen);
  });

  it('lists nothing before the first event, and refuses an as-of that is neither #N nor a zoned time', () => {
    expect(json(db, 'hosts', '--as-of', '#0')).toEqual([]);
    expect(json(db, 'guests', '--as-of', '2000-01-01T00:00:00Z')).toEqual([]);
    const bad = runCli(db, ['guests', '--as-of', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--as-of');
  });
});
