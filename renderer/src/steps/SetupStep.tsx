import type { SetupFields } from '../../../electron/shared/setup.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { useT } from '../i18n.js';
import type { StepProps } from '../types.js';
import { exportAnswers, importAnswers, loadPreset, savePreset } from './setup/actions.js';
import { SetupAccount } from './setup/SetupAccount.js';
import { SetupDisk } from './setup/SetupDisk.js';
import { SetupEdition } from './setup/SetupEdition.js';
import { SetupRegion } from './setup/SetupRegion.js';

/** "Set up Windows": an answer file made from settings (or presets), or one imported as is. */
export function SetupStep({ state, dispatch }: StepProps) {
  const tr = useT();
  const setup = state.setup;
  const w = state.image.info?.windows;
  const set = (patch: Partial<SetupFields>) => dispatch({ type: 'setup-set', patch });
  const fromSettings = setup.source === 'settings';
  return (
    <div className="step setup">
      <p className="muted">{tr.t('app.setup.intro')}</p>
      <fieldset className="plain">
        <legend>{tr.t('app.setup.sourceLegend')}</legend>
        <div className="radio">
          <input type="radio" id="setup-source-settings" name="setup-source" checked={fromSettings} onChange={() => set({ source: 'settings' })} />
          <label htmlFor="setup-source-settings">{tr.t('app.setup.sourceSettings')}</label>
        </div>
        <div className="radio">
          <input type="radio" id="setup-source-imported" name="setup-source" checked={!fromSettings} onChange={() => set({ source: 'imported' })} />
          <label htmlFor="setup-source-imported">{tr.t('app.setup.sourceImported')}</label>
        </div>
      </fieldset>
      <div className="toolbar">
        {fromSettings ? (
          <>
            <button type="button" className="secondary" disabled={setup.busy} onClick={() => void loadPreset(state, dispatch)}>
              {tr.t('app.setup.loadPreset')}
            </button>
            <button type="button" className="secondary" disabled={setup.busy} onClick={() => void savePreset(state, dispatch)}>
              {tr.t('app.setup.savePreset')}
            </button>
            <button type="button" className="secondary" disabled={setup.busy} onClick={() => void exportAnswers(state, dispatch)}>
              {tr.t('app.setup.exportAnswers')}
            </button>
          </>
        ) : (
          <button type="button" className="secondary" disabled={setup.busy} onClick={() => void importAnswers(dispatch)}>
            {tr.t('app.setup.importAnswers')}
          </button>
        )}
      </div>
      <div aria-live="polite" className="live">
        {setup.busy && <p className="muted">{tr.t('app.setup.working')}</p>}
        {!fromSettings && setup.imported !== null && (
          <p className="callout" role="status">
            {tr.t('app.setup.imported', { count: setup.imported.length })}
          </p>
        )}
      </div>
      {setup.error && <ErrorBox error={setup.error} title={tr.t('app.setup.failed')} />}
      <SetupEdition setup={setup} editions={w?.editions ?? []} set={set} />
      {fromSettings && (
        <>
          <SetupRegion setup={setup} languages={w?.languages ?? []} set={set} />
          <SetupAccount setup={setup} set={set} />
          <SetupDisk setup={setup} set={set} />
        </>
      )}
    </div>
  );
}
