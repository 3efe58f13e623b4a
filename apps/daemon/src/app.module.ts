import { DynamicModule, Module } from '@nestjs/common';
import { PlannerModule } from '@spapr/planner';
import type { DaemonConfig } from './daemon-config';
import { HealthController } from './health/health.controller';

@Module({})
export class AppModule {
  static forRoot(config: DaemonConfig): DynamicModule {
    return { module: AppModule, imports: [PlannerModule.forRoot({ dbPath: config.dbPath })], controllers: [HealthController] };
  }
}
