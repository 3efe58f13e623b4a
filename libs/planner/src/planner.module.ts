import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { FleetStore, openFleetStore } from '@spapr/event-store';
import { CommandHandlers } from './commands';
import { FleetStoreCloser } from './fleet-store.provider';
import { HeadFleet } from './history/head-fleet';
import { FLEET_STORE, PLANNER_OPTIONS, PlannerOptions } from './planner.tokens';
import { QueryHandlers } from './queries/catalogue.handlers';
import { CheckHandlers } from './queries/check.handlers';
import { FleetWideHandlers } from './queries/fleet-wide.handlers';
import { SimulateHandlers } from './queries/simulate.handler';
import { FleetRecorder } from './recording/fleet-recorder';

/** Nest supplies the buses and DI; the work is done by the plain store, recorder and domain (STYLE §2). */
@Module({})
export class PlannerModule {
  static forRoot(options: PlannerOptions): DynamicModule {
    return {
      module: PlannerModule,
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: PLANNER_OPTIONS, useValue: options },
        { provide: FLEET_STORE, useFactory: (o: PlannerOptions) => openFleetStore(o.dbPath), inject: [PLANNER_OPTIONS] },
        { provide: FleetRecorder, useFactory: (store: FleetStore) => new FleetRecorder(store), inject: [FLEET_STORE] },
        { provide: HeadFleet, useFactory: (store: FleetStore) => new HeadFleet(store), inject: [FLEET_STORE] },
        FleetStoreCloser,
        ...CommandHandlers,
        ...QueryHandlers,
        ...CheckHandlers,
        ...FleetWideHandlers,
        ...SimulateHandlers,
      ],
      exports: [FLEET_STORE, FleetRecorder, CqrsModule],
    };
  }
}
