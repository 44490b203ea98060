/**
 * The renderer's only way out: `window.sevenstick` (the preload bridge in the app, or the e2e test
 * host's shim — both implement the same SevenStickApi type derived from the contract).
 */
import type { IpcError, IpcResult, SevenStickApi } from '../../electron/shared/contract.js';

declare global {
  interface Window {
    sevenstick?: SevenStickApi;
  }
}

export class CallError extends Error {
  constructor(readonly error: IpcError) {
    super(error.message);
  }
}

export function bridge(): SevenStickApi {
  const api = window.sevenstick;
  if (!api) throw new Error('SevenStick must run inside its app window (no bridge found).');
  return api;
}

/** Unwraps an IpcResult: the value, or a CallError carrying the contract error. */
export async function unwrap<T>(p: Promise<IpcResult<T>>): Promise<T> {
  const r = await p;
  if (r.ok) return r.value;
  throw new CallError(r.error);
}

export function asIpcError(e: unknown): IpcError {
  if (e instanceof CallError) return e.error;
  return { code: 'E_IO', message: e instanceof Error ? e.message : String(e) };
}

export function newJobId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return 'job-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
