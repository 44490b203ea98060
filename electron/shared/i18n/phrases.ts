/**
 * The things SevenStick's layers report as codes, said in the user's language: job phases, notices
 * about an image or a drive (Windows 7 warnings, drive safety), and error headlines. Every key is
 * written out here (no keys built from strings), so the catalog test can tell which keys the code uses.
 * A notice or error whose code has no message here falls back to the English text it came with.
 */
import type { IpcError, Notice, Phase, VerifyProblem } from '../contract.js';
import type { MessageKey } from './catalog.js';
import type { Translator } from './translator.js';

export const PHASE_KEYS: Record<Phase, MessageKey> = {
  preparing: 'phase.preparing',
  hashing: 'phase.hashing',
  writing: 'phase.writing',
  flushing: 'phase.flushing',
  verifying: 'phase.verifying',
  'checking-capacity': 'phase.checkingCapacity',
  done: 'phase.done',
};

export function phaseText(tr: Translator, phase: Phase): string {
  return tr.t(PHASE_KEYS[phase]);
}

/** Notice code → message. The notice's `params` are the message's values. */
export const NOTICE_KEYS: Readonly<Record<string, MessageKey>> = {};

/** A notice (Windows 7 warning, drive safety) in the user's language. */
export function noticeText(tr: Translator, n: Pick<Notice, 'code' | 'message'> & { params?: Notice['params'] }): string {
  const key = NOTICE_KEYS[n.code];
  return key ? tr.t(key, n.params) : n.message;
}

/** Error code → headline ("The stick is too small"). */
export const ERROR_KEYS: Readonly<Partial<Record<IpcError['code'], MessageKey>>> = {};

/**
 * An error for a person: a headline in their language, and the detail the layer that failed gave (in
 * English for the engine's own failures: file names, offsets and causes that a log or a bug report needs).
 */
export function errorText(tr: Translator, e: IpcError): { title: string; detail: string } {
  const key = ERROR_KEYS[e.code];
  return { title: key ? tr.t(key) : e.message, detail: key ? e.message : '' };
}

/** Verify problem code → message ("missing on the stick", "differs from the image"…). */
export const PROBLEM_KEYS: Readonly<Record<string, MessageKey>> = {};

/** One problem a verify found, in the user's language (English `problem` when its code has no message). */
export function problemText(tr: Translator, p: VerifyProblem): string {
  const key = p.code ? PROBLEM_KEYS[p.code] : undefined;
  return key ? tr.t(key, p.params) : p.problem;
}
