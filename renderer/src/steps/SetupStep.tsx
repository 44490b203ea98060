import type { SetupFields } from '../../../electron/shared/setup.js';
import { ErrorBox } from '../components/ErrorBox.js';
import type { StepProps } from '../types.js';
import { exportAnswers, importAnswers, loadPreset, savePreset } from './setup/actions.js';
import { SetupAccount } from './setup/SetupAccount.js';
import { SetupDisk } from './setup/SetupDisk.js';
import { SetupEdition } from './setup/SetupEdition.js';
import { SetupRegion } from './setup/SetupRegion.js';

/** "Set up Windows": an answer file made from settings (or presets), or one imported as is. */
export function SetupStep({ state, dispatch }: StepProps) {
  const setup = state.setup;
  const w = state.image.info?.windows;
  const set = (patch: Partial<SetupFields>) => dispatch({ type: 'setup-set', patch });
  const fromSettings = setup.source === 'settings';
  return (
    <div className="step setup">
      <p className="muted">
        The stick gets an answer file (autounattend.xml) so Windows setup on every PC it starts gets the same answers. What you leave empty, setup asks as usual.
      </p>
      <fieldset className="plain">
        <legend>Answer file</legend>
        <div className="radio">
          <input type="radio" id="setup-source-settings" name="setup-source" checked={fromSettings} onChange={() => set({ source: 'settings' })} />
          <label htmlFor="setup-source-settings">Make it from the settings below</label>
        </div>
        <div className="radio">
          <input type="radio" id="setup-source-imported" name="setup-source" checked={!fromSettings} onChange={() => set({ source: 'imported' })} />
          <label htmlFor="setup-source-imported">Use an autounattend.xml I already have (copied as is)</label>
        </div>
      </fieldset>
      <div className="toolbar">
        {fromSettings ? (
          <>
            <button type="button" className="secondary" disabled={setup.busy} onClick={() => void loadPreset(state, dispatch)}>
              Load preset…
            </button>
            <button type="button" className="secondary" disabled={setup.busy} onClick={() => void savePreset(state, dispatch)}>
              Save preset…
            </button>
            <button type="button" className="secondary" disabled={setup.busy} onClick={() => void exportAnswers(state, dispatch)}>
              Export answer file…
            </button>
          </>
        ) : (
          <button type="button" className="secondary" disabled={setup.busy} onClick={() => void importAnswers(dispatch)}>
            Import autounattend.xml…
          </button>
        )}
      </div>
      <div aria-live="polite" className="live">
        {setup.busy && <p className="muted">Working…</p>}
        {!fromSettings && setup.imported !== null && (
          <p className="callout" role="status">
            Imported answer file ({setup.imported.length} characters): well-formed and for this image's architecture. It goes on the stick exactly as it is.
          </p>
        )}
      </div>
      {setup.error && <ErrorBox error={setup.error} title="The answer file cannot be made" />}
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
