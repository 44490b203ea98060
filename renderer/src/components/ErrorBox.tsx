import type { IpcError } from '../../../electron/shared/contract.js';
import { errorText } from '../../../electron/shared/i18n/phrases.js';
import { useT } from '../i18n.js';

/** A hint; a command in it (from "sudo sevenstick" or "sevenstick" on) is shown as code. */
function Hint({ text }: { text: string }) {
  const m = /(sudo )?sevenstick .*/.exec(text);
  if (!m) return <p className="hint">{text}</p>;
  // A sentence may end right after the command: its full stop is not part of it.
  const command = m[0].replace(/\s*[.。]$/, '');
  return (
    <p className="hint">
      {text.slice(0, m.index)}
      <code className="command">{command}</code>
      {m[0].slice(command.length)}
    </p>
  );
}

/**
 * What went wrong, for a person: the headline in their language, then the technical detail the
 * failing layer gave (often English: file names, offsets, causes a bug report needs), marked as such.
 */
export function ErrorText({ error }: { error: IpcError }) {
  const tr = useT();
  const { title, detail } = errorText(tr, error);
  return (
    <>
      <p>{title}</p>
      {detail && (
        <p className="error-detail">
          <span className="error-detail-label">{tr.t('app.error.details')}</span> {detail}
        </p>
      )}
    </>
  );
}

export function ErrorBox({ error, title }: { error: IpcError; title?: string }) {
  const tr = useT();
  return (
    <div className="callout error" role="alert">
      <p className="callout-title">{title ?? tr.t('app.error.title')}</p>
      <ErrorText error={error} />
      {error.hint && <Hint text={error.hint} />}
      <p className="error-code">{tr.t('app.error.code', { code: error.code })}</p>
    </div>
  );
}
