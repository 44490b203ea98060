import { ErrorBox } from '../components/ErrorBox.js';
import type { StepProps } from '../types.js';
import { ImageCard } from './ImageCard.js';

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
    </div>
  );
}
