/**
 * The privileged helper's wire protocol: JSON Lines over a Unix socket (a named pipe on Windows)
 * that lives in a 0700 directory the GUI created. One client, one job:
 *
 *   GUI → helper   {"type":"hello","token":"<64 hex>","protocol":1}          (first line, within N s)
 *   helper → GUI   {"type":"ready","pid":1234}
 *   GUI → helper   {"type":"write","job":{image,targets:[{path,size,serial}],mode,verify[,windows:{edition,onlyEdition,showAllEditions,unattendXml}]}}
 *               or {"type":"verify","job":{target:{path,size,serial},image}}
 *   helper → GUI   {"type":"progress","progress":{…}} …
 *   GUI → helper   {"type":"cancel"}                                          (any time)
 *   helper → GUI   {"type":"result","result":{…}}  or  {"type":"error","error":{code,message}}
 *
 * then the helper closes the socket and exits. Anything else — a bad token, a second client, a
 * malformed or oversized line, silence — ends the session. Pure Node, shared by helper and main (the
 * renderer's TypeScript project leaves this file out: it needs Node's types).
 */
import type { ConfirmedTarget, IpcError, Progress, VerifyReport, WindowsSetup, WriteMode, WriteResult } from './contract.js';
import { absPath, confirmedTarget, object, oneOf, str, ValidationError, writeValidator, type Validator } from './validate.js';

export const PROTOCOL_VERSION = 1;
/** A line longer than this is an attack or a bug: the peer is dropped (room for a 256 KiB answer file, JSON-escaped). */
export const MAX_LINE = 2 * 1024 * 1024;
export const TOKEN_FILE = 'token';
export const SOCKET_NAME = 'helper.sock';

export interface WriteJob {
  image: string;
  targets: ConfirmedTarget[];
  mode: WriteMode;
  verify: boolean;
  /** Windows media: the stick's customization (contract.ts's WriteRequest.windows); the helper re-checks it. */
  windows?: WindowsSetup;
}

export interface VerifyJob {
  target: ConfirmedTarget;
  image: string;
}

export type ClientMessage =
  | { type: 'hello'; token: string; protocol: number }
  | { type: 'write'; job: WriteJob }
  | { type: 'verify'; job: VerifyJob }
  | { type: 'cancel' };

export type HelperMessage =
  | { type: 'ready'; pid: number }
  | { type: 'progress'; progress: Progress }
  | { type: 'result'; result: WriteResult | VerifyReport }
  | { type: 'error'; error: IpcError };

const hello = object<{ type: 'hello'; token: string; protocol: number }>({
  type: oneOf('hello'),
  token: str(128),
  protocol: (v, where) => {
    if (v !== PROTOCOL_VERSION) throw new ValidationError(`${where}: unsupported protocol version`);
    return PROTOCOL_VERSION;
  },
});

const writeJob: Validator<WriteJob> = (v, where) => {
  const j = writeValidator<WriteJob>({})(v, where);
  if (new Set(j.targets.map((t) => t.path)).size !== j.targets.length) throw new ValidationError(`${where}.targets: a drive is listed twice`);
  return j;
};

const verifyJob = object<VerifyJob>({ target: confirmedTarget, image: absPath });

/** Parses and validates one line from the GUI; throws ValidationError on anything unexpected. */
export function parseClientMessage(line: string): ClientMessage {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new ValidationError('message: not JSON');
  }
  const type = typeof v === 'object' && v !== null ? (v as { type?: unknown }).type : undefined;
  switch (type) {
    case 'hello':
      return hello(v, 'hello');
    case 'write':
      return object<{ type: 'write'; job: WriteJob }>({ type: oneOf('write'), job: writeJob })(v, 'write');
    case 'verify':
      return object<{ type: 'verify'; job: VerifyJob }>({ type: oneOf('verify'), job: verifyJob })(v, 'verify');
    case 'cancel':
      return object<{ type: 'cancel' }>({ type: oneOf('cancel') })(v, 'cancel');
    default:
      throw new ValidationError('message: unknown type');
  }
}

/**
 * Splits a byte stream into lines, refusing lines over MAX_LINE. `push` returns the complete lines;
 * it throws once the pending (unterminated) part grows past the limit.
 */
export class LineSplitter {
  private pending = '';
  constructor(private readonly max = MAX_LINE) {}

  push(chunk: Buffer | string): string[] {
    this.pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    const parts = this.pending.split('\n');
    this.pending = parts.pop() ?? '';
    if (this.pending.length > this.max || parts.some((p) => p.length > this.max)) {
      throw new ValidationError(`a line is longer than ${this.max} bytes`);
    }
    return parts.filter((p) => p.trim().length > 0);
  }
}

export function encode(msg: ClientMessage | HelperMessage): string {
  return JSON.stringify(msg) + '\n';
}

/** Named pipe on Windows (derived from the private dir's random name), a socket file elsewhere. */
export function socketPathFor(dir: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    const leaf = dir.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? 'helper';
    return `\\\\.\\pipe\\sevenstick-${leaf}`;
  }
  return `${dir.replace(/\/+$/, '')}/${SOCKET_NAME}`;
}
