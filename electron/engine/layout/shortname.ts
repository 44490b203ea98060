/**
 * FAT 8.3 short names for long names (Microsoft fatgen103, "FAT Long Directory Entries",
 * basis-name generation and numeric tails), and the checks that a long name is legal.
 *
 * A long name that already is a valid upper-case 8.3 name is used as is (`BOOTMGR` →
 * `BOOTMGR    `) and needs no LFN entries; any other name gets a generated short name,
 * unique in its directory, and LFN entries holding the real name.
 */
import { SevenStickError } from '../io/errors.js';

/** Bytes allowed in a short name besides A–Z and 0–9 (fatgen103: "legal characters"). */
const SHORT_SPECIALS = new Set("$%'-_@~`!(){}^#&".split(''));
/** Characters a long name may never contain (fatgen103, plus control characters). */
const LONG_ILLEGAL_CHARS = new Set('"*/:<>?\\|'.split(''));
function hasIllegalLongChar(name: string): boolean {
  for (const c of name) if (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || LONG_ILLEGAL_CHARS.has(c)) return true;
  return false;
}
/** The most long-name UTF-16 units an LFN chain can carry. */
export const MAX_LONG_NAME = 255;
/** Largest numeric tail tried (`~999999`). */
export const MAX_TAIL = 999_999;

function isShortChar(c: string): boolean {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || SHORT_SPECIALS.has(c);
}

/** The 11-byte on-disk form (`NAME    EXT`) of `NAME.EXT`; caller guarantees legality. */
export function packShortName(base: string, ext: string): string {
  return base.padEnd(8, ' ') + ext.padEnd(3, ' ');
}

/** `NAME    EXT` → `NAME.EXT` (for messages and tests). */
export function displayShortName(packed: string): string {
  const base = packed.slice(0, 8).trimEnd();
  const ext = packed.slice(8).trimEnd();
  return ext ? `${base}.${ext}` : base;
}

/**
 * The packed 8.3 form if `name` already is a valid upper-case 8.3 name (then it is kept
 * exactly and no LFN entries are needed), else undefined.
 */
export function exactShortName(name: string): string | undefined {
  if (name === '.' || name === '..') return undefined;
  const dot = name.indexOf('.');
  const base = dot < 0 ? name : name.slice(0, dot);
  const ext = dot < 0 ? '' : name.slice(dot + 1);
  if (base.length < 1 || base.length > 8 || ext.length > 3) return undefined;
  if (dot >= 0 && ext.length === 0) return undefined;
  for (const c of base + ext) if (!isShortChar(c)) return undefined;
  return packShortName(base, ext);
}

/** Throws E_UNSUPPORTED unless `name` can be stored as a FAT long name. */
export function checkLongName(name: string, path: string): void {
  if (name.length === 0 || name === '.' || name === '..') {
    throw new SevenStickError('E_UNSUPPORTED', `"${path}": the name "${name}" cannot be stored on FAT32`, { path });
  }
  if (name.length > MAX_LONG_NAME) {
    throw new SevenStickError('E_UNSUPPORTED', `"${path}": the name is longer than FAT32's ${MAX_LONG_NAME} characters`, { path });
  }
  if (hasIllegalLongChar(name)) {
    throw new SevenStickError('E_UNSUPPORTED', `"${path}": the name contains a character FAT32 does not allow (" * / : < > ? \\ | or a control character)`, {
      path,
    });
  }
  if (/[. ]$/.test(name)) {
    throw new SevenStickError('E_UNSUPPORTED', `"${path}": the name ends with a dot or a space, which FAT32 (Windows) drops`, { path });
  }
}

/** Uppercases one character and maps it to a legal short-name character; `lossy` when it had to change. */
function shortChar(c: string): { c: string; lossy: boolean } {
  const u = fatUpper(c);
  if (u.length === 1 && isShortChar(u)) return { c: u, lossy: false };
  return { c: '_', lossy: true };
}

/** The basis name (fatgen103 steps 1–6): base ≤ 8 and extension ≤ 3 legal characters, and whether it is lossy. */
export function basisName(long: string): { base: string; ext: string; lossy: boolean } {
  let lossy = false;
  const lastDot = long.lastIndexOf('.');
  // A leading dot ('.profile') does not start an extension.
  const hasExt = lastDot > 0 && long.slice(0, lastDot).replace(/^[. ]+/, '').length > 0;
  const basePart = hasExt ? long.slice(0, lastDot) : long;
  const extPart = hasExt ? long.slice(lastDot + 1) : '';
  let base = '';
  // Array.from walks code points, so a surrogate pair becomes one '_'.
  for (const ch of Array.from(basePart)) {
    if (ch === ' ' || ch === '.') {
      lossy = true;
      continue;
    }
    const m = shortChar(ch);
    lossy ||= m.lossy;
    if (base.length < 8) base += m.c;
    else lossy = true;
  }
  let ext = '';
  for (const ch of Array.from(extPart)) {
    if (ch === ' ') {
      lossy = true;
      continue;
    }
    const m = shortChar(ch);
    lossy ||= m.lossy;
    if (ext.length < 3) ext += m.c;
    else lossy = true;
  }
  if (base.length === 0) {
    base = '_';
    lossy = true;
  }
  return { base, ext, lossy };
}

/**
 * Assigns unique short names in one directory. Call `reserve` for every name that is an
 * exact 8.3 name first (they keep their names), then `generate` for the others, in a
 * stable order: the result is deterministic.
 */
export class ShortNameTable {
  private readonly used = new Set<string>();
  /** Per basis, the last tail tried, so 1000 names with one prefix stay linear. */
  private readonly nextTail = new Map<string, number>();

  has(packed: string): boolean {
    return this.used.has(packed);
  }

  /** Claims an exact 8.3 name; false if it is taken already. */
  reserve(packed: string): boolean {
    if (this.used.has(packed)) return false;
    this.used.add(packed);
    return true;
  }

  /** A fresh short name for `long` (which is not an exact 8.3 name). */
  generate(long: string, path: string): string {
    const { base, ext, lossy } = basisName(long);
    // fatgen103: without loss, and when the long name fits 8.3 except for case, try the basis itself.
    if (!lossy) {
      const plain = packShortName(base, ext);
      if (!this.used.has(plain)) {
        this.used.add(plain);
        return plain;
      }
    }
    const key = packShortName(base, ext);
    for (let n = this.nextTail.get(key) ?? 1; n <= MAX_TAIL; n++) {
      const tail = `~${n}`;
      const packed = packShortName(base.slice(0, 8 - tail.length) + tail, ext);
      if (!this.used.has(packed)) {
        this.used.add(packed);
        this.nextTail.set(key, n + 1);
        return packed;
      }
    }
    throw new SevenStickError('E_LIMIT', `"${path}": no free 8.3 name left (more than ${MAX_TAIL} similar names in one folder)`, { path });
  }
}

/**
 * Upper case the way FAT compares names: character by character, 1:1 (a character whose upper
 * case is longer, like 'ß' → 'SS', stays as it is), so names never merge by changing length.
 */
export function fatUpper(name: string): string {
  let out = '';
  for (const c of name) {
    const u = c.toUpperCase();
    out += u.length === c.length ? u : c;
  }
  return out;
}

/** The LFN checksum of a packed 11-byte short name (fatgen103 ChkSum). */
export function shortNameChecksum(packed: string): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum = (((sum & 1) << 7) + (sum >> 1) + packed.charCodeAt(i)) & 0xff;
  return sum;
}
