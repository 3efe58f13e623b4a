import { Query } from '@nestjs/cqrs';
import type { VerifyResult } from '@spapr/event-store';

export class VerifyChain extends Query<VerifyResult> {}
