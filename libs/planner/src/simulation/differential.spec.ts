import fc from 'fast-check';
import { agrees, comparable, Comparison, compareBoot, compareMigration, fleetOf } from './testing/differential';
import { mmuFleetCaseArb } from './testing/mmu-fleet.arbitrary';

const expectAgreement = (c: Comparison): void => {
  if (!agrees(c)) throw new Error(`rules ${c.rules}, simulation ${c.simulation} for ${JSON.stringify(c.plan)}`);
};

/**
 * The rules engine and the simulation are written apart from each other (STYLE D: never test code against
 * itself): wherever both model a boot or a migration, the rules say `unsafe` exactly when the simulated
 * guest does not run its workload to the end (`ok`).
 */
describe('When random fleets are asked about boots and migrations', () => {
  it('the rules say unsafe exactly when the simulation does not end ok (10,000 compared questions)', () => {
    const tally = new Map<string, number>();
    const count = (question: string, c: Comparison) => tally.set(`${question} ${c.rules} ${c.simulation}`, (tally.get(`${question} ${c.rules} ${c.simulation}`) ?? 0) + 1);
    fc.assert(
      fc.property(mmuFleetCaseArb, fc.constantFrom('boot', 'migration'), (c, question) => {
        const fleet = fleetOf(c.commands);
        if (question === 'boot') {
          const boot = compareBoot(fleet, c.boot.hostId, c.boot.spec, c.seed);
          fc.pre(comparable(boot));
          count('boot', boot);
          expectAgreement(boot);
          return;
        }
        const guest = fleet.guest(c.migration.guestId);
        const source = compareBoot(fleet, guest!.hostId, guest!.configuration, c.seed);
        // A guest that could not have booted has nothing to migrate.
        fc.pre(comparable(source) && source.rules === 'not-unsafe' && source.simulation === 'ok');
        const migration = compareMigration(fleet, c.migration.guestId, c.migration.toHostId, c.seed);
        fc.pre(comparable(migration));
        count('migration', migration);
        expectAgreement(migration);
      }),
      { numRuns: Number(process.env.DIFF_RUNS ?? 10_000) },
    );
    console.log([...tally].sort().map(([k, n]) => `${k}: ${n}`).join('\n'));
  });
});
