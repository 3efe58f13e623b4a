import { ByteWriter } from '../byte-writer';
import { writeCanonicalJson } from '../canonical-json';
import type { ChainedRow } from '../hash-chain';
import { CanonicalJson, NewEventRow, SqlParam, SqlValue } from './write-sink';

/**
 * A transaction's writes as bytes, for the writer thread: one transferable buffer per message instead of a
 * structured clone of thousands of row objects (which cost the main thread more than the inserts it handed off).
 * Each op is a kind byte and its fields; a string is its UTF-8 byte length and bytes (a JSON value is written
 * canonically straight into them, and read back as its text); a statement's SQL is sent once and named by number
 * after that, and an event's type and time, when the same as the previous event's, as SAME (one commit records
 * every event of a unit at one moment, and an import repeats a handful of types).
 */
const EVENT = 1;
const RUN = 2;
const DEFINE_SQL = 3;
const NULL = 0;
const NUMBER = 1;
const STRING = 2;
/** A length no string of a chunk can have: "as in the previous event". */
const SAME = 0xffffffff;

/** About a thousand typical events: a chunk is shipped once an op takes it past this (its buffer grows for that op). */
const CHUNK_BYTES = 1 << 20;

export interface EncodedOps {
  readonly bytes: ArrayBuffer;
  readonly length: number;
}

export class WriteOpsEncoder {
  private out: ByteWriter;
  private readonly sqlIds = new Map<string, number>();
  private lastType = '';
  private lastRecordedAt = '';

  constructor(
    private readonly ship: (chunk: EncodedOps) => void,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {
    this.out = this.chunk();
  }

  event(row: NewEventRow): void {
    const out = this.out;
    const start = out.offset;
    try {
      out.byte(EVENT);
      out.double(row.position);
      out.double(row.streamVersion);
      this.string(row.streamId);
      this.repeatable(row.type, this.lastType);
      this.json(row.data);
      this.json(row.metadata);
      this.repeatable(row.recordedAt, this.lastRecordedAt);
    } catch (e) {
      // A value JSON has no form for (NaN, a function): the op is taken back whole, the chunk stays readable.
      out.offset = start;
      throw e;
    }
    this.lastType = row.type;
    this.lastRecordedAt = row.recordedAt;
    this.shipWhenFull();
  }

  run(sql: string, params: readonly SqlParam[]): void {
    const out = this.out;
    const start = out.offset;
    let id = this.sqlIds.get(sql);
    const defines = id === undefined;
    try {
      if (id === undefined) {
        this.sqlIds.set(sql, (id = this.sqlIds.size));
        out.byte(DEFINE_SQL);
        out.uint32(id);
        this.string(sql);
      }
      out.byte(RUN);
      out.uint32(id);
      out.uint32(params.length);
      for (const p of params) {
        if (p === null) out.byte(NULL);
        else if (typeof p === 'number') {
          out.byte(NUMBER);
          out.double(p);
        } else {
          out.byte(STRING);
          if (p instanceof CanonicalJson) this.json(p.value);
          else this.string(p);
        }
      }
    } catch (e) {
      out.offset = start;
      if (defines) this.sqlIds.delete(sql);
      throw e;
    }
    this.shipWhenFull();
  }

  /** Hands over what is written so far (the receiver owns the buffer from then on). */
  flush(): void {
    if (this.out.offset === 0) return;
    this.ship({ bytes: this.out.buffer.buffer as ArrayBuffer, length: this.out.offset });
    this.out = this.chunk();
    // Each chunk decodes on its own: its first event spells its type and time out.
    this.lastType = this.lastRecordedAt = '';
  }

  /** A chunk with room for its last op to end past `chunkBytes` without growing, most of the time. */
  private chunk(): ByteWriter {
    return new ByteWriter(this.chunkBytes + (this.chunkBytes >> 3));
  }

  private shipWhenFull(): void {
    if (this.out.offset >= this.chunkBytes) this.flush();
  }

  private repeatable(s: string, last: string): void {
    if (s === last) this.out.uint32(SAME);
    else this.string(s);
  }

  private string(s: string): void {
    const at = this.lengthSlot();
    this.out.utf8(s);
    this.fillLength(at);
  }

  private json(value: unknown): void {
    const at = this.lengthSlot();
    writeCanonicalJson(this.out, value);
    this.fillLength(at);
  }

  /** Room for a byte length, filled in once what follows it is written. */
  private lengthSlot(): number {
    this.out.ensure(4);
    const at = this.out.offset;
    this.out.offset += 4;
    return at;
  }

  private fillLength(at: number): void {
    // The buffer may have grown meanwhile: the length goes where the slot is now.
    this.out.buffer.writeUInt32LE(this.out.offset - at - 4, at);
  }
}

export interface WriteOpsVisitor {
  event(row: ChainedRow): void;
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
