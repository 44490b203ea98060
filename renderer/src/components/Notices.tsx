import type { Notice } from '../../../electron/shared/contract.js';

export function Notices({ notices, label }: { notices: Notice[]; label: string }) {
  if (notices.length === 0) return null;
  return (
    <ul className="notices" aria-label={label}>
      {notices.map((n) => (
        <li key={n.code + n.message} className={`notice ${n.severity}`}>
          <span className="notice-icon" aria-hidden="true">
            {n.severity === 'error' ? '✗' : '⚠'}
          </span>
          <span>
            <span className="sr-only">{n.severity === 'error' ? 'Unavailable: ' : 'Warning: '}</span>
            {n.message}
          </span>
        </li>
      ))}
    </ul>
  );
}
