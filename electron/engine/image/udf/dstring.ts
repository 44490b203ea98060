/**
 * OSTA Compressed Unicode (OSTA UDF 2.1.1 "CS0") and d-strings (ECMA-167 1/7.2.12):
 * the first byte says 8 (one byte per character) or 16 (UTF-16BE); UDF 2.50+ adds 254/255
 * for the same encodings. A d-string field's last byte holds the length in use.
 */
import { formatError } from '../../io/errors.js';

/** Decodes `len` bytes of compressed Unicode at `start`. */
export function decodeCs0(buf: Buffer, start: number, len: number): string {
  if (len === 0) return '';
  if (start + len > buf.length) throw formatError('UDF: identifier runs past its descriptor');
  const id = buf[start] as number;
  if (id === 8 || id === 254) return buf.toString('latin1', start + 1, start + len);
  if (id === 16 || id === 255) {
    const body = buf.subarray(start + 1, start + len - ((len - 1) % 2));
    const le = Buffer.from(body);
    le.swap16();
    return le.toString('utf16le');
  }
  throw formatError(`UDF: unknown compression id ${id} in an identifier`);
}

/** A d-string of `fieldLen` bytes (length in its last byte); '' for an empty or malformed one. */
export function decodeDString(buf: Buffer, start: number, fieldLen: number): string {
  const used = buf[start + fieldLen - 1] as number;
  if (used === 0 || used >= fieldLen) return '';
  try {
    return decodeCs0(buf, start, used).replace(/[\0 ]+$/, '');
  } catch {
    return '';
  }
}
