import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AnswerContext, BootAnswer, checkBoot, checkMigration, checkNesting, err, FieldError, fieldError, MigrationAnswer, NestingAnswer, ok, Result } from '@spapr/domain';
import type { FleetStore } from '@spapr/event-store';
import { QueryScope, resolveScope } from '../history/query-scope';
import { FLEET_STORE } from '../planner.tokens';
import { CheckBoot, CheckMigration, CheckNesting, Scoped } from './check.queries';

/** Resolves the scope, asks the pure check, and stamps how many hypothetical events the answer rests on. */
const answerIn = <A>(store: FleetStore, scope: QueryScope, now: string, ask: (ctx: AnswerContext) => Result<A, FieldError[]>): Scoped<A> => {
  const ctx = resolveScope(store, scope, now);
  if (!ctx.ok) return ctx;
  const answer = ask(ctx.value);
  return answer.ok ? ok({ ...answer.value, hypothetical: ctx.value.hypothetical }) : answer;
};

@QueryHandler(CheckBoot)
export class CheckBootHandler implements IQueryHandler<CheckBoot, Scoped<BootAnswer>> {
  constructor(@Inject(FLEET_STORE) private readonly store: FleetStore) {}
  async execute({ hostId, spec, scope, now }: CheckBoot): Promise<Scoped<BootAnswer>> {
    if (spec.hostId !== undefined && spec.hostId !== hostId) return err([fieldError('hostId', `is ${spec.hostId} in the guest spec but --host is ${hostId}`)]);
    return answerIn(this.store, scope, now, (ctx) => checkBoot(ctx, hostId, spec));
  }
}

@QueryHandler(CheckMigration)
export class CheckMigrationHandler implements IQueryHandler<CheckMigration, Scoped<MigrationAnswer>> {
  constructor(@Inject(FLEET_STORE) private readonly store: FleetStore) {}
  async execute({ guestId, toHostId, overrides, scope, now }: CheckMigration): Promise<Scoped<MigrationAnswer>> {
    return answerIn(this.store, scope, now, (ctx) => checkMigration(ctx, guestId, toHostId, overrides));
  }
}

@QueryHandler(CheckNesting)
export class CheckNestingHandler implements IQueryHandler<CheckNesting, Scoped<NestingAnswer>> {
  constructor(@Inject(FLEET_STORE) private readonly store: FleetStore) {}
  async execute({ guestId, scope, now }: CheckNesting): Promise<Scoped<NestingAnswer>> {
    return answerIn(this.store, scope, now, (ctx) => checkNesting(ctx, guestId));
  }
}

export const CheckHandlers = [CheckBootHandler, CheckMigrationHandler, CheckNestingHandler];
