import { canSetUpWindows } from '../../../electron/shared/wizard.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { useT } from '../i18n.js';
import type { StepProps } from '../types.js';
import { ImageCard } from './ImageCard.js';
import { keyboardFor, mediaLanguages } from './setup/data.js';
import { Check } from './setup/Field.js';

export function ImageStep({ state, dispatch, chooseImage }: StepProps) {
  const tr = useT();
  const img = state.image;
  return (
    <div className="step">
      <div className="pick">
        <button type="button" className={img.info ? 'secondary' : 'primary'} onClick={() => void chooseImage()}>
          {img.info ? tr.t('app.image.chooseAnother') : tr.t('app.image.choose')}
        </button>
        <span className="muted">{tr.t('app.image.orDrop')}</span>
      </div>
      <div aria-live="polite" className="live">
        {img.status === 'loading' && <p className="muted break">{tr.t('app.image.reading', { path: img.path ?? '' })}</p>}
      </div>
      {img.status === 'error' && img.error && <ErrorBox error={img.error} title={tr.t('app.image.unusable')} />}
      {img.status === 'ready' && <ImageCard image={img} dispatch={dispatch} />}
      {canSetUpWindows(state) && (
        <Check
          id="setup-enabled"
          label={tr.t('app.image.setupEnabled')}
          checked={state.setup.enabled}
          onChange={(value) => {
            const language = mediaLanguages(img.info?.windows?.languages ?? [])[0]?.tag ?? 'en-US';
            dispatch({ type: 'setup-enable', value, language, keyboard: keyboardFor(language) });
          }}
          hint={tr.t('app.image.setupEnabledHint')}
        />
      )}
    </div>
  );
}
