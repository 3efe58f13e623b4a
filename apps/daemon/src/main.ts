import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { FleetStore } from '@spapr/event-store';
import { FLEET_STORE } from '@spapr/planner';
import { AppModule } from './app.module';
import { readDaemonConfig } from './daemon-config';
import { seedIfEmpty } from './seed/seed-if-empty';

const bootstrap = async (): Promise<void> => {
  const config = readDaemonConfig(process.argv.slice(2));
  const app = await NestFactory.create(AppModule.forRoot(config));
  app.enableShutdownHooks();
  const log = new Logger('spapr-planner');
  if (config.seedFile) {
    const seeded = seedIfEmpty(app.get<FleetStore>(FLEET_STORE), config.seedFile, () => new Date().toISOString());
    if (seeded === 'not-empty') log.log(`store ${config.dbPath} has events: seed ${config.seedFile} not loaded`);
    else if (seeded.kind === 'recorded') log.log(`loaded ${seeded.events.length} events from ${config.seedFile} into ${config.dbPath}`);
    else throw new Error(`seed ${config.seedFile} refused: ${JSON.stringify(seeded)}`);
  }
  await app.listen(config.port, config.host);
  log.log(`listening on http://${config.host}:${config.port} (store ${config.dbPath}); GET /health`);
};

void bootstrap();
