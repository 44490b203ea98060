import { answerSummaryRows } from '../../../electron/shared/i18n/answer-summary.js';
import { driveName } from '../../../electron/shared/i18n/phrases.js';
import { erasesPcDisk, setupLines } from '../../../electron/shared/setup.js';
import { confirmationLines } from '../../../electron/shared/wizard.js';
import { Msg, useT } from '../i18n.js';
import type { StepProps } from '../types.js';

export function ConfirmStep({ state }: StepProps) {
  const tr = useT();
  const lines = confirmationLines(state);
  const setup = setupLines(state.setup, state.image.info?.windows?.editions ?? []).flatMap((l) =>
    'key' in l ? [tr.t(l.key, l.values)] : answerSummaryRows(tr, l.answers, { edition: false }).map(([label, value]) => tr.t('app.setupLine.row', { label, value })),
  );
  return (
    <div className="step">
      <div className="callout danger">
        <p className="callout-title">{tr.t('app.confirm.erased', { count: lines.length })}</p>
        <ul className="erase-list">
          {lines.map((l) => (
            <li key={l.path}>{tr.t('app.confirm.target', { name: l.drive ? driveName(tr, l.drive) : l.path, path: l.path, size: tr.bytes(l.size) })}</li>
          ))}
        </ul>
        <p>{tr.t('app.confirm.lost', { count: lines.length })}</p>
      </div>
      <p>
        <Msg id="app.confirm.image" values={{ name: state.image.info?.label || state.image.info?.fileName || '', path: state.image.path ?? '' }} />
      </p>
      {erasesPcDisk(state.setup) && (
        <div className="callout danger">
          <p className="callout-title">{tr.t('app.confirm.wipeTitle')}</p>
          <p>{tr.t('app.confirm.wipeText')}</p>
        </div>
      )}
      {setup.length > 0 && (
        <section className="card" aria-labelledby="setup-title">
          <h2 id="setup-title" className="card-title">
            {tr.t('app.confirm.setupTitle')}
          </h2>
          <ul className="setup-lines">
            {setup.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </section>
      )}
      <p className="muted">{tr.t('app.confirm.readBack')}</p>
    </div>
  );
}
