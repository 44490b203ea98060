import { useId } from 'react';
import { canSelect, visibleDrives } from '../../../electron/shared/wizard.js';
import { DriveLabel } from '../components/DriveLabel.js';
import { driveId, driveLine } from '../components/format.js';
import { Notices } from '../components/Notices.js';
import { useT } from '../i18n.js';
import type { StepProps } from '../types.js';

export function DrivesStep({ state, dispatch }: StepProps) {
  const tr = useT();
  const list = visibleDrives(state);
  const warnId = useId();
  return (
    <div className="step">
      <div aria-live="assertive" className="live">
        {state.dropped.length > 0 && (
          <p className="callout warning break" role="status">
            {tr.t('app.drives.dropped', { count: state.dropped.length, drives: tr.list(state.dropped) })}
          </p>
        )}
      </div>
      {!state.drivesLoaded ? (
        <p className="muted">{tr.t('app.drives.looking')}</p>
      ) : list.length === 0 ? (
        <div className="empty">
          <p>{tr.t('app.drives.none')}</p>
        </div>
      ) : (
        <fieldset className="drives">
          <legend>{tr.t('app.drives.legend')}</legend>
          <ul>
            {list.map((d) => {
              const selectable = canSelect(state, d);
              const checked = state.selected.includes(d.path);
              const id = driveId('drive', d.path);
              return (
                <li key={d.path} className={`drive${checked ? ' selected' : ''}${selectable ? '' : ' unavailable'}`}>
                  <input
                    type="checkbox"
                    id={id}
                    checked={checked}
                    disabled={!selectable && !checked}
                    onChange={() => dispatch({ type: 'toggle-drive', path: d.path })}
                    aria-describedby={`${id}-desc`}
                  />
                  <DriveLabel id={id} drive={d} />
                  <div id={`${id}-desc`} className="drive-meta">
                    <span className="num">{driveLine(tr, d)}</span>
                    {d.system && <span className="badge no">{tr.t('app.drives.system')}</span>}
                    <Notices notices={d.notices} label={tr.t('app.drives.notices', { path: d.path })} />
                  </div>
                </li>
              );
            })}
          </ul>
        </fieldset>
      )}
      <div className="show-all">
        <input type="checkbox" id="show-all" checked={state.showAll} onChange={(e) => dispatch({ type: 'show-all', value: e.target.checked })} aria-describedby={warnId} />
        <label htmlFor="show-all">{tr.t('app.drives.showAll')}</label>
        <p id={warnId} className="small muted">
          {tr.t('app.drives.showAllHint')}
        </p>
      </div>
    </div>
  );
}
