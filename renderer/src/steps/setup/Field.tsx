import type { ReactNode } from 'react';

/** One labelled control, with an optional hint tied to it (aria-describedby is set by the caller). */
export function Field({ id, label, hint, wide, children }: { id: string; label: string; hint?: string; /** A whole row of the grid (long choices: locales, time zones). */ wide?: boolean; children: ReactNode }) {
  return (
    <div className={wide ? 'field field-wide' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <p id={`${id}-hint`} className="small muted">
          {hint}
        </p>
      )}
    </div>
  );
}

/** A checkbox with its label to the right, and an optional hint under it. */
export function Check({ id, label, checked, onChange, hint, disabled }: { id: string; label: string; checked: boolean; onChange(v: boolean): void; hint?: string; disabled?: boolean }) {
  return (
    <div className="check">
      <input type="checkbox" id={id} checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} aria-describedby={hint ? `${id}-hint` : undefined} />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="small muted">
          {hint}
        </p>
      )}
    </div>
  );
}
