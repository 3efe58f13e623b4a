import { Query } from '@nestjs/cqrs';
import type { BootAnswer, FieldError, GuestSpecInput, MigrationAnswer, MigrationOverrides, NestingAnswer, Result } from '@spapr/domain';
import type { QueryScope } from '../history/query-scope';

/** What every check answers with: the answer, or why the question itself is bad input. */
export type Scoped<A> = Result<A & { hypothetical: number }, FieldError[]>;

export class CheckBoot extends Query<Scoped<BootAnswer>> {
  constructor(
    readonly hostId: string,
    readonly spec: GuestSpecInput,
    readonly scope: QueryScope,
    readonly now: string,
  ) {
    super();
  }
}

export class CheckMigration extends Query<Scoped<MigrationAnswer>> {
  constructor(
    readonly guestId: string,
    readonly toHostId: string,
    readonly overrides: MigrationOverrides,
    readonly scope: QueryScope,
    readonly now: string,
  ) {
    super();
  }
}

export class CheckNesting extends Query<Scoped<NestingAnswer>> {
  constructor(
    readonly guestId: string,
    readonly scope: QueryScope,
    readonly now: string,
  ) {
    super();
  }
}
