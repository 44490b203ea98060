/**
 * `verify`'s text report (issue #14): a headline first — OK, or what kind of mismatch it is (most files
 * missing means another image, not a damaged stick) — then the problems grouped by kind, a few of each.
 * `--json` keeps every failure.
 */
import type { StickVerifyResult } from '../engine/index.js';
import { formatBytes } from '../shared/format.js';

/** Problems listed per kind before "… and N more". */
const SHOWN = 8;

export function verifyReport(target: string, image: string, r: StickVerifyResult): string[] {
  const out: string[] = [];
  const missing = r.failures.filter((f) => f.problem === 'missing').length;
  const expected = r.files + missing;
  if (r.ok) out.push(`${target}: OK — ${r.kind === 'windows' ? `${r.files} files, ` : ''}${formatBytes(r.bytes)} (${r.bytes} bytes) match the image`);
  else if (r.kind === 'windows' && missing > 0 && missing >= expected / 2) {
    out.push(`${target}: does NOT hold ${image} — ${missing} of ${expected} files of the image are missing on it.`);
    out.push('  It was probably written from another image (or not by SevenStick). Check the image, or write the stick again.');
  } else out.push(`${target}: ${r.failures.length} problem${r.failures.length === 1 ? '' : 's'} — it differs from the image; write it again.`);
  const kinds = [...new Set(r.failures.map((f) => f.problem))];
  for (const k of kinds) {
    const list = r.failures.filter((f) => f.problem === k);
    for (const f of list.slice(0, SHOWN)) out.push(`  ${f.problem}: ${f.message}`);
    if (list.length > SHOWN) out.push(`  … and ${list.length - SHOWN} more ${k} (--json lists them all)`);
  }
  for (const e of r.extras) out.push(`  extra: ${e.path}${e.known ? ' (added by the operating system)' : ''}`);
  for (const n of r.notes) out.push(`  note: ${n}`);
  return out;
}
