/**
 * Turning anything thrown into the contract's IpcError (pure: used by main's handlers and the helper).
 * SevenStickErrors keep their stable code; Node system errors map by errno; the rest are I/O errors.
 */
import type { IpcError, IpcErrorCode } from './contract.js';

const KNOWN: ReadonlySet<string> = new Set<IpcErrorCode>([
  'E_VERIFY', 'E_ARGS', 'E_RANGE', 'E_FORMAT', 'E_UNSUPPORTED', 'E_NOT_FOUND', 'E_CHECKSUM', 'E_FILE_TOO_LARGE',
  'E_TARGET_TOO_SMALL', 'E_LIMIT', 'E_IO', 'E_DEVICE', 'E_BUSY', 'E_SAFETY', 'E_CANCELLED',
  'E_BAD_REQUEST', 'E_ELEVATION',
]);

export function isIpcErrorCode(code: unknown): code is IpcErrorCode {
  return typeof code === 'string' && KNOWN.has(code);
}

/** An error that already is a contract error (thrown by main's own code). */
export class AppError extends Error {
  constructor(readonly error: IpcError) {
    super(error.message);
  }
}

export function toIpcError(e: unknown): IpcError {
  if (e instanceof AppError) return e.error;
  const err = e as { code?: unknown; message?: unknown; name?: unknown } | null | undefined;
  const message = err && typeof err.message === 'string' ? err.message : String(e);
  if (err?.name === 'ValidationError') return { code: 'E_BAD_REQUEST', message };
  if (isIpcErrorCode(err?.code)) return { code: err.code, message };
  if (err?.name === 'AbortError') return { code: 'E_CANCELLED', message: 'Cancelled.' };
  if (err?.code === 'ENOENT') return { code: 'E_NOT_FOUND', message };
  if (err?.code === 'EACCES' || err?.code === 'EPERM') return { code: 'E_DEVICE', message };
  return { code: 'E_IO', message };
}
