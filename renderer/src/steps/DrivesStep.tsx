import { useId } from 'react';
import { canSelect, visibleDrives } from '../../../electron/shared/wizard.js';
import { DriveLabel } from '../components/DriveLabel.js';
import { driveId, driveLine } from '../components/format.js';
import { Notices } from '../components/Notices.js';
import type { StepProps } from '../types.js';

export function DrivesStep({ state, dispatch }: StepProps) {
  const list = visibleDrives(state);
  const warnId = useId();
  return (
    <div className="step">
      <div aria-live="assertive" className="live">
        {state.dropped.length > 0 && (
          <p className="callout warning" role="status">
            {state.dropped.join(', ')} {state.dropped.length === 1 ? 'was removed or became unavailable, so it is' : 'were removed or became unavailable, so they are'} no longer selected.
          </p>
        )}
      </div>
      {!state.drivesLoaded ? (
        <p className="muted">Looking for drives…</p>
      ) : list.length === 0 ? (
        <div className="empty">
          <p>No USB drive found. Plug in a stick of at least 4 GB; it appears here by itself.</p>
        </div>
      ) : (
        <fieldset className="drives">
          <legend>Drives to write (everything on them is erased)</legend>
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
                    <span className="num">{driveLine(d)}</span>
                    {d.system && <span className="badge no">System drive</span>}
                    <Notices notices={d.notices} label={`About ${d.path}`} />
                  </div>
                </li>
              );
            })}
          </ul>
        </fieldset>
      )}
      <div className="show-all">
        <input type="checkbox" id="show-all" checked={state.showAll} onChange={(e) => dispatch({ type: 'show-all', value: e.target.checked })} aria-describedby={warnId} />
        <label htmlFor="show-all">Show all drives</label>
        <p id={warnId} className="small muted">
          Also lists internal and large disks. Be careful: picking the wrong one destroys its data. The system drive is never offered.
        </p>
      </div>
    </div>
  );
}
