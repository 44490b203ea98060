/**
 * Runtime validation of every request that crosses a trust boundary (renderer → main, GUI → helper).
 * Hand-written combinators, no dependency: each validator returns the value typed, or throws a
 * ValidationError naming the field. Objects must have exactly the listed keys (extra keys refused),
 * strings and arrays are length-bounded, numbers must be safe non-negative integers.
 */
import { isLocale, type Locale } from './i18n/locales.js';
import type { AnswersRequest, ConfirmedTarget, InvokeChannel, LanguageChoice, RequestOf, VerifyRequest, WindowsSetup, WriteMode, WriteRequest } from './contract.js';

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
}

export type Validator<T> = (value: unknown, where: string) => T;

const MAX_STRING = 4096;

export const str =
  (max = MAX_STRING): Validator<string> =>
  (v, where) => {
    if (typeof v !== 'string') throw new ValidationError(`${where}: expected a string`);
    if (v.length > max) throw new ValidationError(`${where}: longer than ${max} characters`);
    if (v.includes('\0')) throw new ValidationError(`${where}: contains a NUL character`);
    return v;
  };

export const nonEmpty =
  (inner: Validator<string>): Validator<string> =>
  (v, where) => {
    const s = inner(v, where);
    if (s.length === 0) throw new ValidationError(`${where}: must not be empty`);
    return s;
  };

export const bool: Validator<boolean> = (v, where) => {
  if (typeof v !== 'boolean') throw new ValidationError(`${where}: expected true or false`);
  return v;
};

export const uint: Validator<number> = (v, where) => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new ValidationError(`${where}: expected a non-negative integer`);
  return v;
};

export const oneOf =
  <T extends string>(...values: readonly T[]): Validator<T> =>
  (v, where) => {
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      throw new ValidationError(`${where}: expected one of ${values.join(', ')}`);
    }
    return v as T;
  };

/** An optional field: absent (undefined) stays absent — `object` leaves the key out. */
export const optional =
  <T>(inner: Validator<T>): Validator<T | undefined> =>
  (v, where) =>
    v === undefined ? undefined : inner(v, where);

export const positiveInt: Validator<number> = (v, where) => {
  if (uint(v, where) === 0) throw new ValidationError(`${where}: expected a positive integer`);
  return v as number;
};

export const nullable =
  <T>(inner: Validator<T>): Validator<T | null> =>
  (v, where) =>
    v === null ? null : inner(v, where);

export const arrayOf =
  <T>(inner: Validator<T>, min: number, max: number): Validator<T[]> =>
  (v, where) => {
    if (!Array.isArray(v)) throw new ValidationError(`${where}: expected a list`);
    if (v.length < min || v.length > max) throw new ValidationError(`${where}: expected ${min} to ${max} items`);
    return v.map((item, i) => inner(item, `${where}[${i}]`));
  };

type Shape<T> = { [K in keyof T]-?: Validator<T[K]> };

export const object =
  <T extends object>(shape: Shape<T>): Validator<T> =>
  (v, where) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ValidationError(`${where}: expected an object`);
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) throw new ValidationError(`${where}: expected a plain object`);
    const input = v as Record<string, unknown>;
    for (const key of Object.keys(input)) {
      if (!Object.prototype.hasOwnProperty.call(shape, key)) throw new ValidationError(`${where}: unexpected field "${key}"`);
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape) as Array<keyof T & string>) {
      const value = shape[key](input[key], `${where}.${key}`);
      if (value !== undefined) out[key] = value;
    }
    return out as T;
  };

/**
 * An absolute local path, without NULs: POSIX (`/…`) or a Windows drive path (`C:\…`, `C:/…`).
 * Refused: anything that starts with two separators — UNC shares (`\\server\share\x.iso`,
 * `//server/share`, mixed `\/`), the Win32 namespaces `\\?\…` (incl. `\\?\UNC\…`) and `\\.\…` (devices,
 * pipes) — because an image, a log or a disk-image file must be a file on a local disk, never something
 * on another machine or a device named where a file is expected. Drives are `targetPath`.
 */
export const absPath: Validator<string> = (v, where) => {
  const s = nonEmpty(str())(v, where);
  if (/^[\\/]{2}/.test(s)) throw new ValidationError(`${where}: network (UNC) and device-namespace paths are not accepted; use a file on a local disk`);
  if (!(s.startsWith('/') || /^[A-Za-z]:[\\/]/.test(s))) {
    throw new ValidationError(`${where}: expected an absolute path`);
  }
  return s;
};

/** A write/verify target: a local absolute path (a device node or a disk-image file), or a Windows `\\.\PhysicalDriveN`. */
export const targetPath: Validator<string> = (v, where) => {
  const s = nonEmpty(str())(v, where);
  if (/^\\\\\.\\PhysicalDrive\d{1,3}$/i.test(s)) return s;
  return absPath(s, where);
};

/** Job ids are chosen by the renderer: short, boring characters only. */
export const jobId: Validator<string> = (v, where) => {
  const s = str(64)(v, where);
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(s)) throw new ValidationError(`${where}: not a job id`);
  return s;
};

/** A language SevenStick has (or the pseudo-locale, for tests). */
export const localeName: Validator<Locale> = (v, where) => {
  if (!isLocale(v)) throw new ValidationError(`${where}: not a language SevenStick has`);
  return v;
};

export const empty: Validator<Record<string, never>> = (v, where) => {
  // `undefined` is what ipcRenderer.invoke sends for a call without arguments.
  if (v === undefined) return {};
  return object<Record<string, never>>({})(v, where);
};

export const confirmedTarget: Validator<ConfirmedTarget> = object<ConfirmedTarget>({
  path: targetPath,
  size: uint,
  serial: nullable(str(256)),
});

export const MAX_TARGETS = 16;

/** The largest answer file a request or the helper's socket may carry, in UTF-8 bytes. */
export const MAX_ANSWER_XML_BYTES = 256 * 1024;

/** Answer-file text: at most MAX_ANSWER_XML_BYTES as UTF-8, no NUL. */
export const answerXml: Validator<string> = (v, where) => {
  const s = nonEmpty(str(MAX_ANSWER_XML_BYTES))(v, where);
  if (new TextEncoder().encode(s).length > MAX_ANSWER_XML_BYTES) throw new ValidationError(`${where}: larger than ${MAX_ANSWER_XML_BYTES / 1024} KiB`);
  return s;
};

/** Any value: checked by its handler (a preset by the engine's validatePreset). */
const checkedLater: Validator<unknown> = (v) => v;

export const windowsSetup: Validator<WindowsSetup> = (v, where) => {
  const w = object<WindowsSetup>({
    edition: nullable((x, at) => {
      const n = positiveInt(x, at);
      if (n > 1024) throw new ValidationError(`${at}: expected an edition index from 1`);
      return n;
    }),
    onlyEdition: bool,
    showAllEditions: bool,
    unattendXml: nullable(answerXml),
  })(v, where);
  if (w.onlyEdition && w.edition === null) throw new ValidationError(`${where}.onlyEdition: needs an edition`);
  return w;
};

type WriteFields = Pick<WriteRequest, 'image' | 'targets' | 'mode' | 'verify'>;

/** A write as main gets it and as the helper gets it: these fields, plus the optional `windows`. */
export function writeValidator<T extends WriteFields & { windows?: WindowsSetup }>(more: Shape<Omit<T, keyof WriteFields | 'windows'>>): Validator<T> {
  const fields = { image: absPath, targets: arrayOf(confirmedTarget, 1, MAX_TARGETS), mode: oneOf<WriteMode>('auto', 'windows', 'raw'), verify: bool, windows: optional(windowsSetup) };
  return object({ ...more, ...fields } as unknown as Shape<T>);
}

export const writeRequest: Validator<WriteRequest> = (v, where) => {
  const r = writeValidator<WriteRequest>({ jobId })(v, where);
  const paths = new Set(r.targets.map((t) => t.path));
  if (paths.size !== r.targets.length) throw new ValidationError(`${where}.targets: the same drive is listed twice`);
  if (paths.has(r.image)) throw new ValidationError(`${where}.targets: the image itself cannot be a target`);
  return r;
};

export const verifyRequest: Validator<VerifyRequest> = object<VerifyRequest>({ jobId, target: targetPath, image: absPath });

/** One validator per invoke channel: main runs it on every payload before any handler sees it. */
export const REQUEST_VALIDATORS: { [C in InvokeChannel]: Validator<RequestOf<C>> } = {
  'app:info': empty,
  'image:choose': empty,
  'image:inspect': object({ path: absPath }),
  'image:checksum': object({ jobId, path: absPath }),
  'drives:list': object({ showAll: bool }),
  'write:start': writeRequest,
  'verify:start': verifyRequest,
  'job:cancel': object({ jobId }),
  'log:open': empty,
  'answers:generate': object<AnswersRequest>({ image: absPath, preset: checkedLater, password: nullable(str(256)) }),
  'preset:save': object({ preset: checkedLater }),
  'preset:load': empty,
  'answers:export': object({ xml: answerXml }),
  'answers:import': empty,
  'settings:language': object<LanguageChoice>({ locale: nullable(localeName) }),
};

export function validateRequest<C extends InvokeChannel>(channel: C, payload: unknown): RequestOf<C> {
  if (!Object.prototype.hasOwnProperty.call(REQUEST_VALIDATORS, channel)) throw new ValidationError(`unknown channel ${String(channel)}`);
  return REQUEST_VALIDATORS[channel](payload, channel);
}
