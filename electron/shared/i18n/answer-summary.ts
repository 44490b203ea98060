/**
 * A generated answer file's summary for people: what it sets and what Windows setup still asks, one
 * row per setting. The CLI prints the rows in a column (cli/commands/answers.ts), the wizard's
 * confirmation lists them. The summary itself is data (the engine's AnswerSummary, restated as
 * AnswerSummaryView in the contract); every word comes from the catalog.
 */
import type { AnswerSummaryView } from '../contract.js';
import type { MessageKey } from './catalog.js';
import type { Translator } from './translator.js';

/** What setup still asks: the engine's English phrases (also in the CLI's `--json`) → their messages. */
const SETUP_ASKS: Readonly<Record<string, MessageKey>> = {
  edition: 'answers.summary.asks.edition',
  'licence terms': 'answers.summary.asks.licence',
  'where to install (disk and partition)': 'answers.summary.asks.whereToInstall',
  'user name and computer name': 'answers.summary.asks.userAndComputer',
  'user name': 'answers.summary.asks.user',
  'computer name': 'answers.summary.asks.computer',
  'product key (may be skipped)': 'answers.summary.asks.productKey',
  'update setting': 'answers.summary.asks.updates',
  'time zone and date': 'answers.summary.asks.timeZone',
  'network location': 'answers.summary.asks.network',
};

/** [label, value] per setting; `edition: false` leaves the edition out (the wizard names it already). */
export function answerSummaryRows(tr: Translator, s: AnswerSummaryView, opts: { edition?: boolean } = {}): Array<[string, string]> {
  const asks = tr.t('answers.summary.setupAsks');
  const rows: Array<[string, string]> = [];
  if (opts.edition !== false) {
    rows.push([
      tr.t('answers.summary.label.edition'),
      s.edition ? tr.t('answers.summary.edition', { index: s.edition.index, name: s.edition.name, by: s.edition.by }) : tr.t('answers.summary.edition.asks'),
    ]);
  }
  rows.push(
    [tr.t('answers.summary.label.language'), tr.t('answers.summary.language', { language: s.language, locale: s.locale, keyboard: s.inputLocale })],
    [tr.t('answers.summary.label.timeZone'), s.timeZone ?? tr.t('answers.summary.timeZone.asks')],
    [tr.t('answers.summary.label.computer'), s.computerName === '*' ? tr.t('answers.summary.computer.madeUp') : (s.computerName ?? asks)],
    [tr.t('answers.summary.label.account'), s.user ? tr.t('answers.summary.account', { user: s.user }) : asks],
    [tr.t('answers.summary.label.disk'), s.wipeDisk0 ? tr.t('answers.summary.disk.erased', { firmware: s.wipeDisk0 }) : tr.t('answers.summary.disk.asks')],
    [
      tr.t('answers.summary.label.setupAsks'),
      s.setupAsks.length ? tr.list(s.setupAsks.map((a) => (SETUP_ASKS[a] ? tr.t(SETUP_ASKS[a]) : a))) : tr.t('answers.summary.asks.nothing'),
    ],
  );
  return rows;
}
