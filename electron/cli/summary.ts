/**
 * The end of a `write` (issue #14): a summary per target and for the job — size, elapsed time, average
 * speed, verified or not — and the next steps for Windows media; on cancel, the state the targets were
 * left in and what to do. In the run's language (issue #15): sizes, speeds and times by the Translator.
 */
import type { Drive, WriteJobResult } from '../engine/index.js';
import { errorText, noticeText } from '../shared/i18n/phrases.js';
import type { Translator } from '../shared/i18n/translator.js';
import type { Said } from './i18n.js';

/** Differences listed per target before "… and N more". */
const SHOWN = 20;

/** "48.0 MiB (50331648 bytes)": the size people read and the exact count (not grouped: it is copied into tools). */
export function sizeWithBytes(tr: Translator, bytes: number): string {
  return tr.t('cli.size.withBytes', { size: tr.bytes(bytes), count: bytes, exact: String(bytes) });
}

/** An engine error on one line: its headline in the user's language, then the English detail. */
export function errorLine(tr: Translator, e: { code: Parameters<typeof errorText>[1]['code']; message: string }): string {
  const { title, detail } = errorText(tr, e);
  return detail ? tr.t('cli.error.inline', { title, detail }) : title;
}

/** The lines to print after a finished job (success or not). */
export function writeSummary(tr: Translator, r: WriteJobResult, drives: readonly Drive[]): string[] {
  const out: string[] = [];
  // The stick-wide warnings (BIOS only, and why) by their codes; an older result without notices says them in English.
  for (const w of r.notices?.length ? r.notices.map((n) => noticeText(tr, n)) : r.warnings) out.push(tr.t('cli.warning', { message: w }));
  for (const t of r.targets) {
    const size = sizeWithBytes(tr, t.bytesWritten);
    if (t.ok) out.push(t.verified ? tr.t('cli.write.targetVerified', { target: t.target, size }) : tr.t('cli.write.targetNotVerified', { target: t.target, size }));
    else out.push(tr.t('cli.write.targetFailed', { target: t.target, error: t.error ? errorLine(tr, t.error) : tr.t('cli.write.unknownError') }));
    for (const d of t.differences.slice(0, SHOWN)) out.push(tr.t('cli.write.difference', { offset: String(d.offset), count: d.length, length: String(d.length), what: d.what }));
    if (t.differences.length > SHOWN) out.push(tr.t('cli.write.moreDifferences', { count: t.differences.length - SHOWN }));
    for (const n of t.notes) out.push(tr.t('cli.note', { note: n }));
  }
  const ok = r.targets.filter((t) => t.ok);
  const s = r.seconds;
  const values = {
    done: ok.length,
    count: r.targets.length,
    time: tr.duration(s.total),
    size: tr.bytes(r.bytesToWrite),
    speed: tr.speed(s.writing > 0 ? r.bytesToWrite / s.writing : 0),
    readBack: tr.speed(s.verifying > 0 ? r.bytesToWrite / s.verifying : 0),
  };
  out.push(s.verifying > 0 ? tr.t('cli.write.jobReadBack', values) : tr.t('cli.write.job', values));
  if (ok.length > 0) out.push(...nextSteps(tr, r, drives.filter((d) => ok.some((t) => t.target === d.device))));
  return out;
}

/** What to do with the finished targets: boot them (Windows media), remove them. */
function nextSteps(tr: Translator, r: WriteJobResult, done: readonly Drive[]): string[] {
  const steps: string[] = [];
  const sticks = done.filter((d) => d.kind === 'block');
  const files = done.filter((d) => d.kind === 'file');
  if (r.mode === 'windows') {
    steps.push(tr.t('cli.next.title'));
    if (sticks.length) {
      steps.push(tr.t('cli.next.usb2'));
      steps.push(tr.t('cli.next.bootMenu'));
    }
    steps.push(r.uefiBoot === 'none' ? tr.t('cli.next.biosOnly') : tr.t('cli.next.secureBoot'));
    for (const f of files) steps.push(f.device.toLowerCase().endsWith('.vhd') ? tr.t('cli.next.vhd', { device: f.device }) : tr.t('cli.next.diskImage', { device: f.device }));
  }
  if (sticks.length) steps.push(tr.t('cli.next.safeToRemove', { devices: tr.list(sticks.map((d) => d.device)), count: sticks.length }));
  return steps;
}

/**
 * Notes for a write that was cancelled: what state each target is in and what to do. `started`: the
 * targets were being written (not only prepared).
 */
export function cancelNotes(drives: readonly Drive[], started: boolean): Said[] {
  if (!started) return [{ key: 'cli.cancel.nothingWritten' }];
  return drives.filter((d) => d.kind === 'block').map((d) => ({ key: 'cli.cancel.leftUnbootable', values: { device: d.device } }));
}
