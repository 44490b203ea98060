/**
 * Field tables for on-disk records. Each on-disk structure is declared once as a
 * table of `name: [offset, type]` (offsets from the spec, next to the reference),
 * and decoded/encoded through it — a DataView is never indexed by hand.
 */
import { formatError } from './errors.js';

export type IntType =
  | 'u8'
  | 'u16le'
  | 'u32le'
  | 'u64le'
  | 'u16be'
  | 'u32be'
  | 'i8'
  | 'i16le'
  | 'i32le'
  /** ISO 9660 both-byte-order fields: little-endian half first. */
  | 'u16lsbmsb'
  | 'u32lsbmsb';

export type FieldSpec =
  | readonly [offset: number, type: IntType]
  | readonly [offset: number, type: 'bytes', length: number]
  | readonly [offset: number, type: 'ascii', length: number];

export type FieldValue<F extends FieldSpec> = F[1] extends 'bytes' ? Buffer : F[1] extends 'ascii' ? string : number;

export type Decoded<T extends Record<string, FieldSpec>> = { [K in keyof T]: FieldValue<T[K]> };

const INT_SIZE: Record<IntType, number> = {
  u8: 1,
  u16le: 2,
  u32le: 4,
  u64le: 8,
  u16be: 2,
  u32be: 4,
  i8: 1,
  i16le: 2,
  i32le: 4,
  u16lsbmsb: 4,
  u32lsbmsb: 8,
};

function fieldSize(f: FieldSpec): number {
  return f[1] === 'bytes' || f[1] === 'ascii' ? f[2] : INT_SIZE[f[1]];
}

function readInt(buf: Buffer, at: number, type: IntType, structName: string): number {
  switch (type) {
    case 'u8':
      return buf.readUInt8(at);
    case 'u16le':
    case 'u16lsbmsb':
      return buf.readUInt16LE(at);
    case 'u32le':
    case 'u32lsbmsb':
      return buf.readUInt32LE(at);
    case 'u16be':
      return buf.readUInt16BE(at);
    case 'u32be':
      return buf.readUInt32BE(at);
    case 'i8':
      return buf.readInt8(at);
    case 'i16le':
      return buf.readInt16LE(at);
    case 'i32le':
      return buf.readInt32LE(at);
    case 'u64le': {
      const v = buf.readBigUInt64LE(at);
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw formatError(`${structName}: 64-bit value out of range at +${at}`);
      return Number(v);
    }
  }
}

function writeInt(buf: Buffer, at: number, type: IntType, v: number): void {
  switch (type) {
    case 'u8':
      buf.writeUInt8(v, at);
      return;
    case 'u16le':
      buf.writeUInt16LE(v, at);
      return;
    case 'u32le':
      buf.writeUInt32LE(v, at);
      return;
    case 'u16be':
      buf.writeUInt16BE(v, at);
      return;
    case 'u32be':
      buf.writeUInt32BE(v, at);
      return;
    case 'i8':
      buf.writeInt8(v, at);
      return;
    case 'i16le':
      buf.writeInt16LE(v, at);
      return;
    case 'i32le':
      buf.writeInt32LE(v, at);
      return;
    case 'u64le':
      buf.writeBigUInt64LE(BigInt(v), at);
      return;
    case 'u16lsbmsb':
      buf.writeUInt16LE(v, at);
      buf.writeUInt16BE(v, at + 2);
      return;
    case 'u32lsbmsb':
      buf.writeUInt32LE(v, at);
      buf.writeUInt32BE(v, at + 4);
      return;
  }
}

export interface Struct<T extends Record<string, FieldSpec>> {
  readonly name: string;
  /** Size of the fixed part in bytes. */
  readonly size: number;
  readonly fields: T;
  /** Decodes the record at `base`; throws E_FORMAT if the buffer is too short. */
  decode(buf: Buffer, base?: number): Decoded<T>;
  /** Reads one field. */
  get<K extends keyof T>(buf: Buffer, field: K, base?: number): FieldValue<T[K]>;
  /** Writes the given fields into `buf` at `base` (fields not given are left as they are). */
  encode(values: Partial<Decoded<T>>, buf: Buffer, base?: number): Buffer;
  /** Offset of a field, for the rare code that needs it (checksums, patches). */
  offsetOf(field: keyof T): number;
}

export function defineStruct<const T extends Record<string, FieldSpec>>(name: string, size: number, fields: T): Struct<T> {
  for (const [k, f] of Object.entries(fields)) {
    if (f[0] + fieldSize(f) > size) throw new Error(`struct ${name}: field ${k} overruns size ${size}`);
  }
  const getField = (buf: Buffer, f: FieldSpec, base: number): unknown => {
    const at = base + f[0];
    if (f[1] === 'bytes') return buf.subarray(at, at + f[2]);
    if (f[1] === 'ascii') return buf.toString('latin1', at, at + f[2]);
    return readInt(buf, at, f[1], name);
  };
  const check = (buf: Buffer, base: number): void => {
    if (!Number.isInteger(base) || base < 0 || base + size > buf.length) {
      throw formatError(`${name}: record at +${base} needs ${size} bytes, only ${Math.max(0, buf.length - base)} available`);
    }
  };
  return {
    name,
    size,
    fields,
    decode(buf, base = 0) {
      check(buf, base);
      const out: Record<string, unknown> = {};
      for (const [k, f] of Object.entries(fields)) out[k] = getField(buf, f, base);
      return out as Decoded<T>;
    },
    get(buf, field, base = 0) {
      check(buf, base);
      return getField(buf, fields[field] as FieldSpec, base) as FieldValue<T[typeof field]>;
    },
    encode(values, buf, base = 0) {
      check(buf, base);
      for (const [k, v] of Object.entries(values)) {
        const f = fields[k] as FieldSpec | undefined;
        if (!f || v === undefined) continue;
        const at = base + f[0];
        if (f[1] === 'bytes') {
          const src = v as Buffer;
          buf.fill(0, at, at + f[2]);
          src.copy(buf, at, 0, Math.min(src.length, f[2]));
        } else if (f[1] === 'ascii') {
          buf.fill(0x20, at, at + f[2]);
          buf.write(String(v).slice(0, f[2]), at, 'latin1');
        } else {
          writeInt(buf, at, f[1], v as number);
        }
      }
      return buf;
    },
    offsetOf(field) {
      return (fields[field] as FieldSpec)[0];
    },
  };
}
