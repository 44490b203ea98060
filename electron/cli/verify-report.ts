/**
 * `verify`'s text report (issue #14): a headline first — OK, or what kind of mismatch it is (most files
 * missing means another image, not a damaged stick) — then the problems grouped by kind, a few of each.
 * `--json` keeps every failure. In the run's language (issue #15): each problem through problemText
 * (the English message when its code has no translation).
 */
import type { StickProblem, StickVerifyResult } from '../engine/index.js';
import type { MessageKey } from '../shared/i18n/catalog.js';
import { noticeText, problemText } from '../shared/i18n/phrases.js';
import type { Translator } from '../shared/i18n/translator.js';
import { sizeWithBytes } from './summary.js';

/** Problems listed per kind before "… and N more". */
const SHOWN = 8;

/** Each kind of problem in a word (the line's label). */
const KIND: Record<StickProblem, MessageKey> = {
  missing: 'cli.verify.kind.missing',
  different: 'cli.verify.kind.different',
  size: 'cli.verify.kind.size',
  type: 'cli.verify.kind.type',
  'boot-code': 'cli.verify.kind.bootCode',
};

export function verifyReport(tr: Translator, target: string, image: string, r: StickVerifyResult): string[] {
  const out: string[] = [];
  const missing = r.failures.filter((f) => f.problem === 'missing').length;
  const expected = r.files + missing;
  const size = sizeWithBytes(tr, r.bytes);
  if (r.ok) out.push(r.kind === 'windows' ? tr.t('cli.verify.okFiles', { target, count: r.files, size }) : tr.t('cli.verify.ok', { target, size }));
  else if (r.kind === 'windows' && missing > 0 && missing >= expected / 2) {
    out.push(tr.t('cli.verify.otherImage', { target, image, missing, count: expected }));
    out.push(tr.t('cli.verify.otherImageHint'));
  } else out.push(tr.t('cli.verify.problems', { target, count: r.failures.length }));
  const kinds = [...new Set(r.failures.map((f) => f.problem))];
  for (const k of kinds) {
    const list = r.failures.filter((f) => f.problem === k);
    const kind = tr.t(KIND[k]);
    for (const f of list.slice(0, SHOWN)) {
      out.push(tr.t('cli.verify.problem', { kind, problem: problemText(tr, { path: f.path, problem: f.message, code: f.code, params: f.params }) }));
    }
    if (list.length > SHOWN) out.push(tr.t('cli.verify.more', { count: list.length - SHOWN, kind }));
  }
  for (const e of r.extras) out.push(e.known ? tr.t('cli.verify.extraKnown', { path: e.path }) : tr.t('cli.verify.extra', { path: e.path }));
  for (const n of r.notices) out.push(tr.t('cli.note', { note: noticeText(tr, n) }));
  return out;
}
