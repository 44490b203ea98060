import type { IpcError } from '../../../electron/shared/contract.js';

/** A hint; a command in it (from "sudo sevenstick" or "sevenstick" on) is shown as code. */
function Hint({ text }: { text: string }) {
  const m = /(sudo )?sevenstick .*/.exec(text);
  if (!m) return <p className="hint">{text}</p>;
  return (
    <p className="hint">
      {text.slice(0, m.index)}
      <code className="command">{m[0]}</code>
    </p>
  );
}

export function ErrorBox({ error, title }: { error: IpcError; title?: string }) {
  return (
    <div className="callout error" role="alert">
      <p className="callout-title">{title ?? 'Something went wrong'}</p>
      <p>{error.message}</p>
      {error.hint && <Hint text={error.hint} />}
      <p className="error-code">Error code: {error.code}</p>
    </div>
  );
}
