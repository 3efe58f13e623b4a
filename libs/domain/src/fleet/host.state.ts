import type { HostSnapshot } from '../input/host-snapshot.schema';
import type { HostEvent } from './fleet.events';

export interface HostState {
  readonly hostId: string;
  /** Stream version: the number of events in `host-<hostId>`. */
  readonly version: number;
  readonly snapshot: HostSnapshot;
  /** The event position of that snapshot: the evidence every answer about this host cites. */
  readonly snapshotPosition: number;
  readonly retiredAt: string | null;
}

export const evolveHost = (state: HostState | undefined, event: HostEvent, position: number): HostState => {
  const version = (state?.version ?? 0) + 1;
  switch (event.type) {
    case 'HostSnapshotRecorded':
      return { hostId: event.data.hostId, version, snapshot: event.data, snapshotPosition: position, retiredAt: null };
    case 'HostRetired':
      if (!state) throw new Error(`HostRetired for unknown host ${event.data.hostId}`);
      return { ...state, version, retiredAt: event.data.at };
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled host event ${JSON.stringify(unhandled)}`);
    }
  }
};
