import type { Notice } from '../../../electron/shared/contract.js';
import { noticeText } from '../../../electron/shared/i18n/phrases.js';
import { useT } from '../i18n.js';

export function Notices({ notices, label }: { notices: Notice[]; label: string }) {
  const tr = useT();
  if (notices.length === 0) return null;
  return (
    <ul className="notices" aria-label={label}>
      {notices.map((n) => (
        <li key={n.code + n.message} className={`notice ${n.severity}`}>
          <span className="notice-icon" aria-hidden="true">
            {n.severity === 'error' ? '✗' : '⚠'}
          </span>
          <span>
            <span className="sr-only">{n.severity === 'error' ? tr.t('app.notice.unavailable') : tr.t('app.notice.warning')} </span>
            {noticeText(tr, n)}
          </span>
        </li>
      ))}
    </ul>
  );
}
