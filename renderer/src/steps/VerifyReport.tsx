import type { VerifyReport as Report } from '../../../electron/shared/contract.js';
import { problemText } from '../../../electron/shared/i18n/phrases.js';
import type { Translator } from '../../../electron/shared/i18n/translator.js';
import { Msg, useT } from '../i18n.js';

/** Extra files' paths (at most 20), those Windows or macOS add (`known`) or the others. */
function extras(tr: Translator, report: Report, known: boolean): string {
  return tr.list(
    report.extras
      .filter((e) => e.known === known)
      .slice(0, 20)
      .map((e) => e.path),
  );
}

/** What verifying a stick found: a match, or the problems and the files the ISO does not have. */
export function VerifyReport({ report }: { report: Report }) {
  const tr = useT();
  return (
    <section className={`callout ${report.ok ? 'success' : 'danger'}`} aria-labelledby="report-title">
      <h2 id="report-title" className="callout-title">
        {report.ok ? tr.t('app.report.ok', { count: report.checkedFiles }) : tr.t('app.report.problems', { count: report.problems.length })}
      </h2>
      {report.problems.length > 0 && (
        <ul className="problems">
          {report.problems.slice(0, 200).map((p) => {
            const text = problemText(tr, p);
            return (
              <li key={p.path + p.problem} className="break">
                {text.includes(p.path) ? text : <Msg id="app.report.problem" values={{ path: p.path, problem: text }} />}
              </li>
            );
          })}
        </ul>
      )}
      {!report.ok && <p>{tr.t('app.report.repair')}</p>}
      {report.extras.some((e) => !e.known) && <p className="break">{tr.t('app.report.extras', { files: extras(tr, report, false) })}</p>}
      {report.extras.some((e) => e.known) && <p className="muted break">{tr.t('app.report.known', { files: extras(tr, report, true) })}</p>}
    </section>
  );
}
