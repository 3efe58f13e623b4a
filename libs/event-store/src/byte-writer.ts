/**
 * Bytes appended to a buffer that grows as needed (by copying what is written into one twice the size).
 * Both the canonical JSON writer and the writer thread's ops encoder write through one, so an event's JSON goes
 * straight into the bytes shipped to the writer: no string is built, flattened and encoded on the way.
 */
export class ByteWriter {
  buffer: Buffer;
  offset = 0;

  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafeSlow(capacity);
  }

  /** Room for `bytes` more. */
  ensure(bytes: number): void {
    if (this.offset + bytes > this.buffer.length) this.grow(bytes);
  }

  byte(b: number): void {
    this.ensure(1);
    this.buffer[this.offset++] = b;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    // A call into TypedArray#set costs more than the copy of a key or a keyword.
    if (b.length > 32) this.buffer.set(b, this.offset);
    else for (let i = 0; i < b.length; i++) this.buffer[this.offset + i] = b[i];
    this.offset += b.length;
  }

  /** `s`, known to be ASCII (a number's digits), byte for byte. */
  ascii(s: string): void {
    this.ensure(s.length);
    for (let i = 0; i < s.length; i++) this.buffer[this.offset++] = s.charCodeAt(i);
  }

  /** `s` as UTF-8, with no length before it. */
  utf8(s: string): void {
    this.ensure(3 * s.length);
    this.offset += this.buffer.write(s, this.offset);
  }

  uint32(n: number): void {
    this.ensure(4);
    this.offset = this.buffer.writeUInt32LE(n, this.offset);
  }

  double(n: number): void {
    this.ensure(8);
    this.offset = this.buffer.writeDoubleLE(n, this.offset);
  }

  private grow(bytes: number): void {
    const next = Buffer.allocUnsafeSlow(Math.max(2 * this.buffer.length, this.offset + bytes));
    this.buffer.copy(next, 0, 0, this.offset);
    this.buffer = next;
  }
}
