/**
 * Every failure the engine reports is a SevenStickError with a stable `code`.
 * The CLI maps codes to exit codes (README, "Command line") through EXIT_CODES; the GUI
 * shows `message`, which is written for a person, not a log file.
 */

/** Stable error codes. Add new ones at the end of a group; never rename. */
export const EXIT_CODES = {
  // 1: verification found differences
  E_VERIFY: 1,
  // 2: bad input
  E_ARGS: 2,
  E_RANGE: 2,
  E_FORMAT: 2,
  E_UNSUPPORTED: 2,
  E_NOT_FOUND: 2,
  E_CHECKSUM: 2,
  E_FILE_TOO_LARGE: 2,
  E_TARGET_TOO_SMALL: 2,
  E_LIMIT: 2,
  // 3: device or I/O error
  E_IO: 3,
  E_DEVICE: 3,
  E_BUSY: 3,
  // 4: refused for safety
  E_SAFETY: 4,
  // 130: cancelled
  E_CANCELLED: 130,
} as const;

export type ErrorCode = keyof typeof EXIT_CODES;

export interface ErrorDetails {
  /** Byte offset the error is about (in the image or on the device). */
  offset?: number;
  /** Path of the file or device the error is about. */
  path?: string;
  [key: string]: unknown;
}

export class SevenStickError extends Error {
  override readonly name = 'SevenStickError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get exitCode(): number {
    return EXIT_CODES[this.code];
  }
}

export function isSevenStickError(e: unknown): e is SevenStickError {
  return e instanceof SevenStickError;
}

/** Shorthand for the most common case: a malformed on-disk structure. */
export function formatError(message: string, details: ErrorDetails = {}): SevenStickError {
  return new SevenStickError('E_FORMAT', message, details);
}

/**
 * Wraps an unknown thrown value (usually a Node system error) into a SevenStickError,
 * keeping the OS's words (`EIO: i/o error`) in the message.
 */
export function toSevenStickError(e: unknown, fallback: ErrorCode, context: string, details: ErrorDetails = {}): SevenStickError {
  if (e instanceof SevenStickError) return e;
  const sys = e as NodeJS.ErrnoException;
  const os = sys && typeof sys.message === 'string' ? plainSystemMessage(sys) : String(e);
  const code: ErrorCode = sys?.code === 'ENOENT' ? 'E_NOT_FOUND' : fallback;
  return new SevenStickError(code, `${context}: ${os}`, { ...details, errno: sys?.code }, { cause: e });
}

/**
 * Node's `ENOENT: no such file or directory, open 'x.iso'` as `no such file or directory (ENOENT)`:
 * the context names the path already, so it is said once.
 */
function plainSystemMessage(sys: NodeJS.ErrnoException): string {
  const code = sys.code;
  if (!code || !sys.message.startsWith(`${code}: `)) return sys.message;
  const words = sys.message.slice(code.length + 2).replace(/, [a-z_]+ '.*'$/s, '');
  return `${words} (${code})`;
}

/** Exit code for anything thrown: SevenStickErrors by code, anything else is an I/O error. */
export function exitCodeOf(e: unknown): number {
  return e instanceof SevenStickError ? e.exitCode : EXIT_CODES.E_IO;
}
