import { useT } from '../i18n.js';
import type { StepProps } from '../types.js';

export function StartStep({ dispatch }: StepProps) {
  const tr = useT();
  return (
    <div className="start">
      <p className="lead">{tr.t('app.start.lead')}</p>
      <div className="choices">
        <button type="button" className="choice" onClick={() => dispatch({ type: 'start', flow: 'write' })}>
          <span className="choice-title">{tr.t('app.start.write')}</span>
          <span className="choice-text">{tr.t('app.start.writeText')}</span>
        </button>
        <button type="button" className="choice" onClick={() => dispatch({ type: 'start', flow: 'verify' })}>
          <span className="choice-title">{tr.t('app.start.verify')}</span>
          <span className="choice-text">{tr.t('app.start.verifyText')}</span>
        </button>
      </div>
      <p className="muted small">{tr.t('app.start.tip')}</p>
    </div>
  );
}
