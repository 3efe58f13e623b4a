import { ByteWriter } from './byte-writer';

/**
 * One serialisation per value: object keys sorted, no whitespace, `undefined` members dropped, written as UTF-8
 * bytes. The hash chain hashes this form, so the same event always hashes the same. Written as plain loops into
 * bytes: it runs once per stored event and catalogue row on the import's hot path, where building strings cost
 * more than the bytes (measured: every form was a rope of small pieces, flattened again to be encoded).
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SPACE = 0x20;
const TILDE = 0x7e;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const NULL = Buffer.from('null');
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');

/** Each key as `"key":`, in bytes. */
const keyForms = new Map<string, Buffer>();
const keyForm = (key: string): Buffer => {
  let form = keyForms.get(key);
  if (form === undefined) {
    form = Buffer.from(`${JSON.stringify(key)}:`);
    if (keyForms.size < 10_000) keyForms.set(key, form);
  }
  return form;
};

/** A frozen object never changes, so its form is made once: shared answers (a boot's CAS record) recur in many events. */
const frozenForms = new WeakMap<object, Buffer>();

/**
 * An object's keys in code-unit order, as `Array.prototype.sort` orders them. Sorted in place by insertion: event
 * objects have a dozen keys or fewer, and the built-in sort allocates work arrays on every call (measured: 370 MB
 * over an import of 100,000 events, a quarter of all it allocated).
 */
const sortedKeys = (record: object): string[] => {
  const keys = Object.keys(record);
  if (keys.length > 32) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    for (; j >= 0 && keys[j] > key; j--) keys[j + 1] = keys[j];
    keys[j + 1] = key;
  }
  return keys;
};

/**
 * Printable ASCII without a quote or backslash (IDs, times, versions, enums: nearly every string of an event) is
 * copied as it is checked; anything else is written as JSON.stringify quotes it, escapes and all.
 */
const writeString = (out: ByteWriter, s: string): void => {
  out.ensure(s.length + 2);
  const buffer = out.buffer;
  let o = out.offset;
  buffer[o++] = QUOTE;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < SPACE || c > TILDE || c === QUOTE || c === BACKSLASH) return out.utf8(JSON.stringify(s));
    buffer[o++] = c;
  }
  buffer[o++] = QUOTE;
  out.offset = o;
};

const writeStructure = (out: ByteWriter, value: object): void => {
  if (Array.isArray(value)) {
    out.byte(OPEN_ARRAY);
    for (let i = 0; i < value.length; i++) {
      if (i) out.byte(COMMA);
      // JSON writes a missing element as null.
      if (value[i] === undefined) out.bytes(NULL);
      else writeCanonicalJson(out, value[i]);
    }
    out.byte(CLOSE_ARRAY);
    return;
  }
  const record = value as Record<string, unknown>;
  out.byte(OPEN_OBJECT);
  let first = true;
  for (const key of sortedKeys(record)) {
    const member = record[key];
    if (member === undefined) continue;
    if (!first) out.byte(COMMA);
    out.bytes(keyForm(key));
    writeCanonicalJson(out, member);
    first = false;
  }
  out.byte(CLOSE_OBJECT);
};

/** Appends `value`'s canonical form to `out`. */
export const writeCanonicalJson = (out: ByteWriter, value: unknown): void => {
  switch (typeof value) {
    case 'string':
      return writeString(out, value);
    case 'number':
      // JSON has no form for NaN or the infinities.
      if (!Number.isFinite(value)) throw new TypeError(`cannot serialise ${value}`);
      return out.ascii(String(value));
    case 'boolean':
      return out.bytes(value ? TRUE : FALSE);
    case 'object':
      if (value === null) return out.bytes(NULL);
      break;
    default:
      // Functions, symbols, bigints and undefined (skipped as members, null in arrays) have no form.
      throw new TypeError(`cannot serialise ${String(value)}`);
  }
  if (!Object.isFrozen(value)) return writeStructure(out, value);
  let form = frozenForms.get(value);
  if (form === undefined) {
    const start = out.offset;
    writeStructure(out, value);
    frozenForms.set(value, Buffer.from(out.buffer.subarray(start, out.offset)));
    return;
  }
  out.bytes(form);
};

const scratch = new ByteWriter(1 << 16);

export const canonicalJson = (value: unknown): string => {
  scratch.offset = 0;
  writeCanonicalJson(scratch, value);
  return scratch.buffer.toString('utf8', 0, scratch.offset);
};
