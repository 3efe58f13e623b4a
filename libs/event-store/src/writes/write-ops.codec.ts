import type { SqlValue, UnchainedRow } from './write-sink';

/**
 * A transaction's writes as bytes, for the writer thread: one transferable buffer per message instead of a
 * structured clone of thousands of row objects (which cost the main thread more than the inserts it handed off).
 * Each op is a kind byte and its fields; a string is its UTF-8 byte length and bytes; a statement's SQL is sent
 * once and named by number after that, and an event's type and time, when the same as the previous event's, as
 * SAME (one commit records every event of a unit at one moment, and an import repeats a handful of types).
 */
const EVENT = 1;
const RUN = 2;
const DEFINE_SQL = 3;
const NULL = 0;
const NUMBER = 1;
const STRING = 2;
/** A length no string of a chunk can have: "as in the previous event". */
const SAME = 0xffffffff;

/** Large enough that a chunk holds about a thousand typical events; a bigger op gets a buffer of its own size. */
const CHUNK_BYTES = 1 << 20;

export interface EncodedOps {
  readonly bytes: ArrayBuffer;
  readonly length: number;
}

export class WriteOpsEncoder {
  private buffer: Buffer;
  private offset = 0;
  private readonly sqlIds = new Map<string, number>();
  private lastType = '';
  private lastRecordedAt = '';

  constructor(
    private readonly ship: (chunk: EncodedOps) => void,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {
    this.buffer = Buffer.allocUnsafeSlow(chunkBytes);
  }

  event(row: UnchainedRow): void {
    const { streamId, type, data, metadata, recordedAt } = row;
    this.reserve(17 + 20 + 3 * (streamId.length + type.length + data.length + metadata.length + recordedAt.length));
    this.buffer[this.offset++] = EVENT;
    this.number(row.position);
    this.number(row.streamVersion);
    this.string(streamId);
    this.repeatable(type, this.lastType);
    this.string(data);
    this.string(metadata);
    this.repeatable(recordedAt, this.lastRecordedAt);
    this.lastType = type;
    this.lastRecordedAt = recordedAt;
  }

  run(sql: string, params: readonly SqlValue[]): void {
    let id = this.sqlIds.get(sql);
    if (id === undefined) {
      this.sqlIds.set(sql, (id = this.sqlIds.size));
      this.reserve(9 + 3 * sql.length);
      this.buffer[this.offset++] = DEFINE_SQL;
      this.uint32(id);
      this.string(sql);
    }
    let size = 9;
    for (const p of params) size += typeof p === 'string' ? 5 + 3 * p.length : 9;
    this.reserve(size);
    this.buffer[this.offset++] = RUN;
    this.uint32(id);
    this.uint32(params.length);
    for (const p of params) {
      if (p === null) this.buffer[this.offset++] = NULL;
      else if (typeof p === 'number') {
        this.buffer[this.offset++] = NUMBER;
        this.number(p);
      } else {
        this.buffer[this.offset++] = STRING;
        this.string(p);
      }
    }
  }

  /** Hands over what is written so far (the receiver owns the buffer from then on). */
  flush(): void {
    if (this.offset === 0) return;
    this.ship({ bytes: this.buffer.buffer as ArrayBuffer, length: this.offset });
    this.buffer = Buffer.allocUnsafeSlow(this.chunkBytes);
    this.offset = 0;
    // Each chunk decodes on its own: its first event spells its type and time out.
    this.lastType = this.lastRecordedAt = '';
  }

  private reserve(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    this.flush();
    if (bytes > this.buffer.length) this.buffer = Buffer.allocUnsafeSlow(bytes);
  }

  private number(n: number): void {
    this.offset = this.buffer.writeDoubleLE(n, this.offset);
  }

  private uint32(n: number): void {
    this.offset = this.buffer.writeUInt32LE(n, this.offset);
  }

  private repeatable(s: string, last: string): void {
    if (s === last) this.uint32(SAME);
    else this.string(s);
  }

  private string(s: string): void {
    const length = this.buffer.write(s, this.offset + 4, 'utf8');
    this.buffer.writeUInt32LE(length, this.offset);
    this.offset += 4 + length;
  }
}

export interface WriteOpsVisitor {
  event(row: UnchainedRow): void;
  run(sql: string, params: SqlValue[]): void;
}

/** Reads a chunk back, in order; `sql` holds the statements defined so far (it lives as long as the transaction). */
export const decodeWriteOps = ({ bytes, length }: EncodedOps, sql: string[], visit: WriteOpsVisitor): void => {
  const buffer = Buffer.from(bytes, 0, length);
  let offset = 0;
  const number = (): number => {
    const n = buffer.readDoubleLE(offset);
    offset += 8;
    return n;
  };
  const uint32 = (): number => {
    const n = buffer.readUInt32LE(offset);
    offset += 4;
    return n;
  };
  const string = (): string => {
    const end = offset + 4 + buffer.readUInt32LE(offset);
    const s = buffer.toString('utf8', offset + 4, end);
    offset = end;
    return s;
  };
  let type = '';
  let recordedAt = '';
  const repeatable = (last: string): string => {
    if (buffer.readUInt32LE(offset) !== SAME) return string();
    offset += 4;
    return last;
  };
  while (offset < length) {
    const kind = buffer[offset++];
    if (kind === EVENT) {
      const position = number();
      const streamVersion = number();
      const streamId = string();
      type = repeatable(type);
      const data = string();
      const metadata = string();
      recordedAt = repeatable(recordedAt);
      visit.event({ position, streamVersion, streamId, type, data, metadata, recordedAt });
    } else if (kind === DEFINE_SQL) {
      const id = uint32();
      sql[id] = string();
    } else if (kind === RUN) {
      const text = sql[uint32()];
      const params: SqlValue[] = new Array<SqlValue>(uint32());
      for (let i = 0; i < params.length; i++) {
        const tag = buffer[offset++];
        params[i] = tag === NULL ? null : tag === NUMBER ? number() : string();
      }
      visit.run(text, params);
    } else {
      throw new Error(`write ops: unknown op ${kind} at byte ${offset - 1}`);
    }
  }
};
