import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { PlannerModule } from '@spapr/planner';

export interface PlannerSession {
  readonly commands: CommandBus;
  readonly queries: QueryBus;
}

/** Opens the planner on the SQLite file for one CLI verb, and closes it (checkpointing the WAL) whatever happens. */
export const withPlanner = async <T>(dbPath: string, work: (session: PlannerSession) => Promise<T>): Promise<T> => {
  const app = await NestFactory.createApplicationContext(PlannerModule.forRoot({ dbPath }), { logger: false, abortOnError: false });
  try {
    return await work({ commands: app.get(CommandBus), queries: app.get(QueryBus) });
  } finally {
    await app.close();
  }
};
