import { BadInputError } from '../cli-error';
import { simulationQuestionOf } from './simulate.command';

const defaults = { steps: 200, seed: 1 };

describe('When simulate is given its options', () => {
  it('--guest with --to asks about a live migration', () => {
    expect(simulationQuestionOf({ ...defaults, guest: 'vm-1', to: 'l1-hv' })).toEqual({ kind: 'migration', guestId: 'vm-1', toHostId: 'l1-hv' });
  });

  it('--guest-spec with --host asks about a boot', () => {
    expect(simulationQuestionOf({ ...defaults, guestSpec: 'l2.json', host: 'l1-hv' })).toEqual({ kind: 'boot', specFile: 'l2.json', hostId: 'l1-hv' });
  });

  it('anything else is bad input naming both forms', () => {
    for (const o of [{ guest: 'vm-1' }, { host: 'h' }, { guest: 'vm-1', to: 'h', host: 'h' }, { guestSpec: 'f', host: 'h', to: 'h' }, {}]) {
      expect(() => simulationQuestionOf({ ...defaults, ...o })).toThrow(BadInputError);
    }
  });
});
