/**
 * Trusted-sender check for every IPC message (pure, unit-tested): the message must come from our
 * window's main frame, showing our own page (app://sevenstick/index.html, served by main from
 * build/renderer — see app-protocol.ts — or the dev server's origin when one is configured, which only
 * an unpackaged app does). Anything else — an iframe, a navigated-away page, another
 * webContents — is dropped before validation.
 */
export interface SenderFacts {
  /** The sending webContents is our main window's. */
  fromOurWindow: boolean;
  /** The sending frame is the top frame. */
  isMainFrame: boolean;
  /** URL of the sending frame. */
  frameUrl: string | null;
}

export function isTrustedSender(s: SenderFacts, appUrl: string): boolean {
  if (!s.fromOurWindow || !s.isMainFrame || !s.frameUrl) return false;
  let got: URL;
  let want: URL;
  try {
    got = new URL(s.frameUrl);
    want = new URL(appUrl);
  } catch {
    return false;
  }
  if (want.protocol === 'app:') {
    // Exactly our page (any #hash or ?query) on our host: never another app:// host or file.
    return got.protocol === 'app:' && got.host === want.host && got.username === '' && got.password === '' && got.pathname === want.pathname;
  }
  return got.origin === want.origin && want.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(want.hostname);
}

/** Whether a navigation target stays on our page (in-page hash changes only). */
export function isAllowedNavigation(target: string, appUrl: string): boolean {
  try {
    const t = new URL(target);
    const a = new URL(appUrl);
    t.hash = '';
    a.hash = '';
    return t.href === a.href;
  } catch {
    return false;
  }
}
