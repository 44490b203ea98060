export function ProgressBar({ fraction, label, id }: { fraction: number; label: string; id?: string }) {
  const pct = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
  return (
    <div className="bar" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} id={id}>
      <div className="bar-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}
