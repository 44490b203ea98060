import { erasesPcDisk, setupLines } from '../../../electron/shared/setup.js';
import { confirmationLines } from '../../../electron/shared/wizard.js';
import type { StepProps } from '../types.js';

export function ConfirmStep({ state }: StepProps) {
  const lines = confirmationLines(state);
  const setup = setupLines(state.setup, state.image.info?.windows?.editions ?? []);
  return (
    <div className="step">
      <div className="callout danger">
        <p className="callout-title">
          {lines.length === 1 ? 'This drive will be completely erased:' : `These ${lines.length} drives will be completely erased:`}
        </p>
        <ul className="erase-list">
          {lines.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
        <p>Everything on {lines.length === 1 ? 'it' : 'them'} will be lost. This cannot be undone.</p>
      </div>
      <p>
        Image: <strong>{state.image.info?.label || state.image.info?.fileName}</strong> <span className="muted break">({state.image.path})</span>
      </p>
      {erasesPcDisk(state.setup) && (
        <div className="callout danger">
          <p className="callout-title">Windows setup from this stick erases the PC's disk 0</p>
          <p>Every PC this stick starts setup on loses everything on its first disk, without another question.</p>
        </div>
      )}
      {setup.length > 0 && (
        <section className="card" aria-labelledby="setup-title">
          <h2 id="setup-title" className="card-title">
            Windows setup
          </h2>
          <ul className="setup-lines">
            {setup.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </section>
      )}
      <p className="muted">After writing, SevenStick reads every written sector back from the drive and compares it.</p>
    </div>
  );
}
