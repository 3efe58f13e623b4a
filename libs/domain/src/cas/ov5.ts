/**
 * Option vector 5 (`ibm,architecture-vec-5`) as QEMU writes it into `/chosen` after CAS.
 *
 * Bit numbering (QEMU include/hw/ppc/spapr_ovec.h): `OV_BIT(byte, bit) = (byte - 1) * 8 + bit`,
 * `byte` 1-based as in LoPAPR, `bit` IBM-numbered (bit 0 = 0x80). So a feature is a
 * (byte, mask) pair with `mask = 0x80 >> bit`; Linux spells the same thing `(byte << 8) | mask`
 * (arch/powerpc/include/asm/prom.h, `OV5_INDX`/`OV5_FEAT`).
 *
 * Device-tree encoding (QEMU hw/ppc/spapr_ovec.c `spapr_dt_ovec`, cas-ov5.md §1.1):
 *   vec_len = number of the last non-zero option byte (1 if nothing is set);
 *   property = [vec_len - 1, byte 1, …, byte vec_len], so property byte N *is* option byte N
 *   (Linux `early_check_vec5` indexes it that way) and trailing zero bytes never appear.
 */

/** `OV_MAXBYTES` in spapr_ovec.c: QEMU's bitmap holds 256 option bytes. */
export const OV5_MAX_BYTES = 256;

export interface Ov5Feature {
  /** QEMU constant name when QEMU has one, else Linux's (asm/prom.h). */
  readonly name: string;
  /** 1-based option-vector byte (= property byte index). */
  readonly byte: number;
  readonly mask: number;
  readonly description: string;
  /** Linux asm/prom.h spelling, `(byte << 8) | mask`. */
  readonly linux: string;
}

function feature(name: string, byte: number, mask: number, linux: string, description: string): Ov5Feature {
  return Object.freeze({ name, byte, mask, linux, description });
}

// QEMU include/hw/ppc/spapr_ovec.h (the bits QEMU itself offers or rejects).
export const OV5_DRCONF_MEMORY = feature('OV5_DRCONF_MEMORY', 2, 0x20, 'OV5_DRCONF_MEMORY', 'ibm,dynamic-reconfiguration-memory');
export const OV5_FORM1_AFFINITY = feature('OV5_FORM1_AFFINITY', 5, 0x80, 'OV5_FORM1_AFFINITY', 'FORM1 NUMA affinity');
export const OV5_FORM2_AFFINITY = feature('OV5_FORM2_AFFINITY', 5, 0x20, 'OV5_FORM2_AFFINITY', 'FORM2 NUMA affinity (QEMU ≥ 6.2, pseries ≥ 6.2)');
export const OV5_HP_EVT = feature('OV5_HP_EVT', 6, 0x04, 'OV5_HP_EVT', 'hot-plug event source');
export const OV5_HPT_RESIZE = feature('OV5_HPT_RESIZE', 6, 0x01, 'OV5_RESIZE_HPT', 'HPT resizing');
export const OV5_DRMEM_V2 = feature('OV5_DRMEM_V2', 22, 0x80, 'OV5_DRMEM_V2', 'ibm,dynamic-memory-v2');
export const OV5_XIVE_BOTH = feature('OV5_XIVE_BOTH', 23, 0x80, 'OV5_XIVE_EITHER', 'XIVE legacy or exploitation (invalid as a negotiated value)');
export const OV5_XIVE_EXPLOIT = feature('OV5_XIVE_EXPLOIT', 23, 0x40, 'OV5_XIVE_EXPLOIT', 'XIVE exploitation mode (0 = legacy XICS)');
export const OV5_MMU_BOTH = feature('OV5_MMU_BOTH', 24, 0x80, 'OV5_MMU_EITHER', 'radix and hash (invalid as a negotiated value)');
export const OV5_MMU_RADIX_300 = feature('OV5_MMU_RADIX_300', 24, 0x40, 'OV5_MMU_RADIX', 'radix MMU (0 = hash)');
export const OV5_MMU_RADIX_GTSE = feature('OV5_MMU_RADIX_GTSE', 26, 0x40, 'OV5_RADIX_GTSE', 'radix Guest Translation Shootdown Enable');

/**
 * Every named bit. The QEMU ones above, plus the remaining Linux asm/prom.h OV5 options a guest
 * may request (QEMU never offers them, so they never survive the intersection, but a hand-made
 * or foreign vector may carry them and `decode-ov5` must still name them).
 */
export const OV5_FEATURES: readonly Ov5Feature[] = Object.freeze([
  feature('OV5_LPAR', 2, 0x80, 'OV5_LPAR', 'logical partitioning'),
  feature('OV5_SPLPAR', 2, 0x40, 'OV5_SPLPAR', 'shared-processor LPAR'),
  OV5_DRCONF_MEMORY,
  feature('OV5_LARGE_PAGES', 2, 0x10, 'OV5_LARGE_PAGES', 'large pages'),
  feature('OV5_DONATE_DEDICATE_CPU', 2, 0x02, 'OV5_DONATE_DEDICATE_CPU', 'donate dedicated CPU cycles'),
  feature('OV5_MSI', 2, 0x01, 'OV5_MSI', 'PCIe MSI'),
  feature('OV5_CMO', 4, 0x80, 'OV5_CMO', 'Cooperative Memory Overcommitment'),
  feature('OV5_XCMO', 4, 0x40, 'OV5_XCMO', 'page coalescing'),
  OV5_FORM1_AFFINITY,
  feature('OV5_PRRN', 5, 0x40, 'OV5_PRRN', 'Platform Resource Reassignment Notification'),
  OV5_FORM2_AFFINITY,
  OV5_HP_EVT,
  OV5_HPT_RESIZE,
  feature('OV5_PFO_HW_RNG', 17, 0x80, 'OV5_PFO_HW_RNG', 'PFO random number generator'),
  feature('OV5_PFO_HW_842', 17, 0x40, 'OV5_PFO_HW_842', 'PFO compression accelerator'),
  feature('OV5_PFO_HW_ENCR', 17, 0x20, 'OV5_PFO_HW_ENCR', 'PFO encryption accelerator'),
  feature('OV5_SUB_PROCESSORS', 21, 0x01, 'OV5_SUB_PROCESSORS', '1, 2 or 4 sub-processors'),
  OV5_DRMEM_V2,
  feature('OV5_DRC_INFO', 22, 0x40, 'OV5_DRC_INFO', 'ibm,drc-info'),
  OV5_XIVE_BOTH,
  OV5_XIVE_EXPLOIT,
  OV5_MMU_BOTH,
  OV5_MMU_RADIX_300,
  feature('OV5_NMMU', 24, 0x20, 'OV5_NMMU', 'nest MMU'),
  feature('OV5_HASH_SEG_TBL', 25, 0x80, 'OV5_HASH_SEG_TBL', 'hash: in-memory segment tables'),
  feature('OV5_HASH_GTSE', 25, 0x40, 'OV5_HASH_GTSE', 'hash: Guest Translation Shootdown Enable'),
  OV5_MMU_RADIX_GTSE,
]);

export type Ov5Malformation =
  | {
      /** byte0 + 2 ≠ property length: QEMU always writes byte0 = vec_len - 1 and vec_len bytes. */
      readonly kind: 'length-mismatch';
      readonly lengthByte: number;
      readonly declaredBytes: number;
      readonly actualBytes: number;
    }
  | {
      /** A bit QEMU never sets in a negotiated vector (byte23 0x80, byte24 0x80, byte25 ≠ 0). */
      readonly kind: 'never-set-by-qemu';
      readonly byte: number;
      readonly value: number;
      readonly features: readonly string[];
    }
  | {
      /** spapr_dt_ovec stops at the last non-zero byte; a zero last byte (beyond byte 1) is foreign. */
      readonly kind: 'trailing-zero';
      readonly byte: number;
    };

export type Ov5DecodeResult =
  | { readonly ok: true; readonly vector: Ov5Vector; readonly malformations: readonly Ov5Malformation[] }
  | { readonly ok: false; readonly reason: string };

/** One set bit, named if known. */
export interface Ov5Bit {
  readonly byte: number;
  readonly mask: number;
  readonly feature: Ov5Feature | null;
}

/**
 * An immutable option vector 5: the *set of bits*, independent of encoding. Two vectors are
 * equal iff the same bits are set; trailing zero bytes carry no information and are dropped.
 */
export class Ov5Vector {
  /** Option bytes 1..n at indices 0..n-1, without trailing zeros. */
  private readonly bytes: Uint8Array;

  private constructor(bytes: Uint8Array) {
    let end = bytes.length;
    while (end > 0 && bytes[end - 1] === 0) {
      end -= 1;
    }
    this.bytes = bytes.slice(0, end);
  }

  static empty(): Ov5Vector {
    return new Ov5Vector(new Uint8Array(0));
  }

  /** From option bytes 1..n (not the property: no length byte). */
  static fromOptionBytes(optionBytes: ArrayLike<number>): Ov5Vector {
    if (optionBytes.length > OV5_MAX_BYTES) {
      throw new RangeError(`an option vector holds at most ${OV5_MAX_BYTES} bytes, got ${optionBytes.length}`);
    }
    const bytes = new Uint8Array(optionBytes.length);
    for (let i = 0; i < optionBytes.length; i += 1) {
      const b = optionBytes[i] as number;
      if (!Number.isInteger(b) || b < 0 || b > 0xff) {
        throw new RangeError(`option byte ${i + 1} is not a byte: ${b}`);
      }
      bytes[i] = b;
    }
    return new Ov5Vector(bytes);
  }

  static of(...features: readonly Ov5Feature[]): Ov5Vector {
    return features.reduce((v, f) => v.with(f), Ov5Vector.empty());
  }

  /**
   * Decode the device-tree property bytes. Malformed but readable input is decoded best-effort
   * (every byte after byte 0 is taken as an option byte, whatever byte 0 says) and the
   * malformations are listed, so the caller can report `MODEL-OV5-MALFORMED` and still use it.
   */
  static decodeProperty(property: ArrayLike<number>): Ov5DecodeResult {
    if (property.length < 2) {
      return { ok: false, reason: `an ibm,architecture-vec-5 property has at least 2 bytes (length byte and byte 1), got ${property.length}` };
    }
    if (property.length > OV5_MAX_BYTES + 1) {
      return { ok: false, reason: `an option vector holds at most ${OV5_MAX_BYTES} bytes, got ${property.length - 1}` };
    }
    for (let i = 0; i < property.length; i += 1) {
      const b = property[i] as number;
      if (!Number.isInteger(b) || b < 0 || b > 0xff) {
        return { ok: false, reason: `property byte ${i} is not a byte: ${b}` };
      }
    }
    const lengthByte = property[0] as number;
    const optionBytes = Array.from({ length: property.length - 1 }, (_, i) => property[i + 1] as number);
    const malformations: Ov5Malformation[] = [];
    if (lengthByte + 2 !== property.length) {
      malformations.push({ kind: 'length-mismatch', lengthByte, declaredBytes: lengthByte + 1, actualBytes: optionBytes.length });
    }
    if (optionBytes.length > 1 && optionBytes[optionBytes.length - 1] === 0) {
      malformations.push({ kind: 'trailing-zero', byte: optionBytes.length });
    }
    const vector = Ov5Vector.fromOptionBytes(optionBytes);
    malformations.push(...neverSetByQemu(vector));
    return { ok: true, vector, malformations };
  }

  /** Decode a hex string (as in `/proc/device-tree/...` dumped with `xxd -p`; spaces, `0x` allowed). */
  static decodeHex(hex: string): Ov5DecodeResult {
    const bytes = parseHexBytes(hex);
    if (!bytes.ok) {
      return bytes;
    }
    return Ov5Vector.decodeProperty(bytes.bytes);
  }

  /** Number of option bytes QEMU writes: the last non-zero byte, at least 1 (`vec_len`). */
  get vecLen(): number {
    return Math.max(1, this.bytes.length);
  }

  /** Option byte `n` (1-based); bytes past the end are 0 (cas-ov5.md §1.2: "byte absent" = 0). */
  byte(n: number): number {
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(`option bytes are numbered from 1, got ${n}`);
    }
    return this.bytes[n - 1] ?? 0;
  }

  has(f: Pick<Ov5Feature, 'byte' | 'mask'>): boolean {
    return (this.byte(f.byte) & f.mask) === f.mask;
  }

  with(f: Pick<Ov5Feature, 'byte' | 'mask'>): Ov5Vector {
    const bytes = this.paddedTo(f.byte);
    bytes[f.byte - 1] = (bytes[f.byte - 1] as number) | f.mask;
    return new Ov5Vector(bytes);
  }

  without(f: Pick<Ov5Feature, 'byte' | 'mask'>): Ov5Vector {
    if (f.byte > this.bytes.length) {
      return this;
    }
    const bytes = this.paddedTo(f.byte);
    bytes[f.byte - 1] = (bytes[f.byte - 1] as number) & ~f.mask & 0xff;
    return new Ov5Vector(bytes);
  }

  /** `spapr_ovec_intersect`: the CAS negotiation itself (`ov5_cas = spapr->ov5 ∩ guest ov5`). */
  intersect(other: Ov5Vector): Ov5Vector {
    const n = Math.min(this.bytes.length, other.bytes.length);
    const bytes = new Uint8Array(n);
    for (let i = 0; i < n; i += 1) {
      bytes[i] = (this.bytes[i] as number) & (other.bytes[i] as number);
    }
    return new Ov5Vector(bytes);
  }

  equals(other: Ov5Vector): boolean {
    return this.bytes.length === other.bytes.length && this.bytes.every((b, i) => b === other.bytes[i]);
  }

  /** Option bytes 1..vecLen (what follows the length byte). */
  optionBytes(): number[] {
    return Array.from({ length: this.vecLen }, (_, i) => this.bytes[i] ?? 0);
  }

  /** `spapr_dt_ovec`: [vec_len - 1, byte 1 … byte vec_len]. */
  encodeProperty(): Uint8Array {
    const out = new Uint8Array(this.vecLen + 1);
    out[0] = this.vecLen - 1;
    out.set(this.optionBytes(), 1);
    return out;
  }

  /** Lower-case hex of `encodeProperty()`, the form SPEC §2.2 `observed.ov5` uses. */
  toHex(): string {
    return Array.from(this.encodeProperty(), (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /** Every set bit in (byte, MSB-first) order, named where known. */
  setBits(): Ov5Bit[] {
    const out: Ov5Bit[] = [];
    this.bytes.forEach((value, i) => {
      for (let mask = 0x80; mask > 0; mask >>= 1) {
        if (value & mask) {
          const byte = i + 1;
          out.push({ byte, mask, feature: OV5_FEATURES.find((f) => f.byte === byte && f.mask === mask) ?? null });
        }
      }
    });
    return out;
  }

  toString(): string {
    return `Ov5Vector(${this.toHex()})`;
  }

  private paddedTo(byteNumber: number): Uint8Array {
    if (!Number.isInteger(byteNumber) || byteNumber < 1 || byteNumber > OV5_MAX_BYTES) {
      throw new RangeError(`option byte must be 1..${OV5_MAX_BYTES}, got ${byteNumber}`);
    }
    const bytes = new Uint8Array(Math.max(this.bytes.length, byteNumber));
    bytes.set(this.bytes);
    return bytes;
  }
}

/** byte23 0x80 (XIVE_BOTH), byte24 0x80 (MMU_BOTH), byte25 anything: QEMU never negotiates them. */
function neverSetByQemu(v: Ov5Vector): Ov5Malformation[] {
  const out: Ov5Malformation[] = [];
  for (const [byte, mask] of [
    [23, 0x80],
    [24, 0x80],
    [25, 0xff],
  ] as const) {
    const value = v.byte(byte) & mask;
    if (value !== 0) {
      const features = v
        .setBits()
        .filter((b) => b.byte === byte && (b.mask & mask) !== 0)
        .map((b) => b.feature?.name ?? `byte${byte}:0x${hex2(b.mask)}`);
      out.push({ kind: 'never-set-by-qemu', byte, value: v.byte(byte), features });
    }
  }
  return out;
}

function parseHexBytes(hex: string): { ok: true; bytes: number[] } | { ok: false; reason: string } {
  const clean = hex.trim().replace(/^0x/i, '').replace(/[\s:]/g, '');
  if (clean.length === 0) {
    return { ok: false, reason: 'empty ov5 hex string' };
  }
  if (!/^[0-9a-fA-F]*$/.test(clean)) {
    return { ok: false, reason: `ov5 "${hex}" is not hexadecimal` };
  }
  if (clean.length % 2 !== 0) {
    return { ok: false, reason: `ov5 "${hex}" has an odd number of hex digits` };
  }
  const bytes: number[] = [];
  for (let i = 0; i < clean.length; i += 2) {
    bytes.push(parseInt(clean.slice(i, i + 2), 16));
  }
  return { ok: true, bytes };
}

export function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/** What the vector says about the contract, read as the Linux guest reads it (`early_check_vec5`). */
export interface Ov5Reading {
  /** byte 24 & 0xC0 == 0x40 → radix; anything else (incl. absent) → hash. */
  readonly mmu: 'radix' | 'hash';
  /** byte 26 & 0x40, only meaningful for radix (Linux clears MMU_FTR_GTSE for hash). */
  readonly gtse: boolean;
  readonly xive: boolean;
  readonly form1: boolean;
  readonly form2: boolean;
}

/**
 * Linux `early_check_vec5` (arch/powerpc/mm/init_64.c): byte 24 absent → hash; byte 24 & 0xC0
 * == 0x40 → radix with `MMU_FTR_GTSE` = byte 26 & 0x40; 0x00 → hash without GTSE.
 * (0x80/0xC0 cannot come from QEMU — `MODEL-OV5-MALFORMED` — and Linux then keeps its
 * default; we read them as hash, the conservative answer.)
 */
export function readOv5(v: Ov5Vector): Ov5Reading {
  const radix = (v.byte(24) & 0xc0) === OV5_MMU_RADIX_300.mask;
  return {
    mmu: radix ? 'radix' : 'hash',
    gtse: radix && v.has(OV5_MMU_RADIX_GTSE),
    xive: v.has(OV5_XIVE_EXPLOIT),
    form1: v.has(OV5_FORM1_AFFINITY),
    form2: v.has(OV5_FORM2_AFFINITY),
  };
}

export interface Ov5Description {
  readonly hex: string;
  readonly lengthByte: number;
  readonly optionBytes: number;
  /** Every set bit in order; `name` is `null` for a bit no table names. */
  readonly bits: readonly { byte: number; mask: number; name: string | null; description: string | null }[];
  readonly reading: Ov5Reading;
  readonly malformations: readonly Ov5Malformation[];
}

export type DescribeOv5Result = { readonly ok: true; readonly description: Ov5Description } | { readonly ok: false; readonly reason: string };

/** For the `decode-ov5 HEX` CLI verb: every set feature by name, plus what it means for the contract. */
export function describeOv5(hex: string): DescribeOv5Result {
  const decoded = Ov5Vector.decodeHex(hex);
  if (!decoded.ok) {
    return decoded;
  }
  const raw = parseHexBytes(hex);
  const lengthByte = raw.ok ? (raw.bytes[0] as number) : 0;
  return {
    ok: true,
    description: {
      hex: raw.ok ? raw.bytes.map(hex2).join('') : hex,
      lengthByte,
      optionBytes: raw.ok ? raw.bytes.length - 1 : 0,
      bits: decoded.vector.setBits().map((b) => ({
        byte: b.byte,
        mask: b.mask,
        name: b.feature?.name ?? null,
        description: b.feature?.description ?? null,
      })),
      reading: readOv5(decoded.vector),
      malformations: decoded.malformations,
    },
  };
}

/** The message text of one malformation (rules.md `MODEL-OV5-MALFORMED` template). */
export function formatOv5Malformation(hex: string, m: Ov5Malformation): string {
  switch (m.kind) {
    case 'length-mismatch':
      return `observed ov5 ${hex}: length byte 0x${hex2(m.lengthByte)} says ${m.declaredBytes} bytes but ${m.actualBytes} follow`;
    case 'never-set-by-qemu':
      return `observed ov5 ${hex}: byte ${m.byte} = 0x${hex2(m.value)} sets ${m.features.join(', ')}, which QEMU never negotiates`;
    case 'trailing-zero':
      return `observed ov5 ${hex}: last byte ${m.byte} is zero; QEMU's spapr_dt_ovec never writes trailing zero bytes`;
    default: {
      const unreachable: never = m;
      return unreachable;
    }
  }
}

/**
 * Human lines for `decode-ov5 HEX`: one per set bit (`byte 24 0x40 OV5_MMU_RADIX_300 radix MMU
 * (0 = hash)`), then the reading and any malformation. The CLI prints them as they are.
 */
export function formatOv5Description(d: Ov5Description): string[] {
  const lines = [`ibm,architecture-vec-5 ${d.hex}: length byte 0x${hex2(d.lengthByte)}, ${d.optionBytes} option byte(s)`];
  for (const b of d.bits) {
    const name = b.name ?? 'unknown';
    lines.push(`  byte ${String(b.byte).padStart(2)} 0x${hex2(b.mask)} ${name}${b.description ? ` (${b.description})` : ''}`);
  }
  if (d.bits.length === 0) {
    lines.push('  no bit set');
  }
  const r = d.reading;
  lines.push(`mmu=${r.mmu} gtse=${r.gtse ? 1 : 0} xive=${r.xive ? 1 : 0} form1=${r.form1 ? 1 : 0} form2=${r.form2 ? 1 : 0}`);
  for (const m of d.malformations) {
    lines.push(`malformed: ${formatOv5Malformation(d.hex, m)}`);
  }
  return lines;
}
