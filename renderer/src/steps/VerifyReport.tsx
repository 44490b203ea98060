import type { VerifyReport as Report } from '../../../electron/shared/contract.js';

/** Extra files' paths (at most 20), those Windows or macOS add (`known`) or the others. */
function extras(report: Report, known: boolean): string {
  return report.extras
    .filter((e) => e.known === known)
    .slice(0, 20)
    .map((e) => e.path)
    .join(', ');
}

/** What verifying a stick found: a match, or the problems and the files the ISO does not have. */
export function VerifyReport({ report }: { report: Report }) {
  return (
    <section className={`callout ${report.ok ? 'success' : 'danger'}`} aria-labelledby="report-title">
      <h2 id="report-title" className="callout-title">
        {report.ok ? `✓ The stick matches the ISO (${report.checkedFiles} files checked)` : `✗ ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} found`}
      </h2>
      {report.problems.length > 0 && (
        <ul className="problems">
          {report.problems.slice(0, 200).map((p) => (
            <li key={p.path + p.problem}>
              {p.problem.includes(p.path) ? (
                p.problem
              ) : (
                <>
                  <code>{p.path}</code>: {p.problem}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {!report.ok && <p>Write the stick again to repair it.</p>}
      {report.extras.some((e) => !e.known) && <p>Files on the stick that are not on the ISO: {extras(report, false)}</p>}
      {report.extras.some((e) => e.known) && <p className="muted">Added by Windows or macOS (not a problem): {extras(report, true)}</p>}
    </section>
  );
}
