import { canSetUpWindows } from '../../../electron/shared/wizard.js';
import { ErrorBox } from '../components/ErrorBox.js';
import type { StepProps } from '../types.js';
import { ImageCard } from './ImageCard.js';
import { keyboardFor, mediaLanguages } from './setup/data.js';
import { Check } from './setup/Field.js';

export function ImageStep({ state, dispatch, chooseImage }: StepProps) {
  const img = state.image;
  return (
    <div className="step">
      <div className="pick">
        <button type="button" className={img.info ? 'secondary' : 'primary'} onClick={() => void chooseImage()}>
          {img.info ? 'Choose another image…' : 'Choose an ISO file…'}
        </button>
        <span className="muted">or drop it on this window</span>
      </div>
      <div aria-live="polite" className="live">
        {img.status === 'loading' && <p className="muted">Reading {img.path}…</p>}
      </div>
      {img.status === 'error' && img.error && <ErrorBox error={img.error} title="This image cannot be used" />}
      {img.status === 'ready' && <ImageCard image={img} dispatch={dispatch} />}
      {canSetUpWindows(state) && (
        <Check
          id="setup-enabled"
          label="Set up Windows (optional): answer setup's questions in advance"
          checked={state.setup.enabled}
          onChange={(value) => {
            const language = mediaLanguages(img.info?.windows?.languages ?? [])[0]?.tag ?? 'en-US';
            dispatch({ type: 'setup-enable', value, language, keyboard: keyboardFor(language) });
          }}
          hint="Adds a step: edition, language, time zone, computer name, an administrator account… saved as a preset for a fleet of PCs, or an autounattend.xml you have."
        />
      )}
    </div>
  );
}
