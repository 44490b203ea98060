/**
 * The browser side of main: the app:// scheme our page is served from (app-protocol.ts answers each
 * request) and the default session's refusals — every permission request and check, every download —
 * plus the CSP header on every response.
 */
import { protocol, session } from 'electron';
import { APP_SCHEME, CSP, serveAppRequest } from './app-protocol.js';

/** Before ready (Electron refuses it later): app:// is a standard (relative URLs, origin-scoped storage) and secure scheme. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);
}

/** Once ready: serve app:// from `rendererRoot` only and harden the default session. */
export function secureDefaultSession(rendererRoot: string): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.on('will-download', (e) => e.preventDefault());
  // Our page: files under build/renderer only, each answer with the CSP header (app-protocol.ts).
  protocol.handle(APP_SCHEME, async (req) => {
    const r = await serveAppRequest({ url: req.url, method: req.method }, rendererRoot);
    return new Response(r.body, { status: r.status, headers: r.headers });
  });
  // The page's own CSP is in index.html and in every app:// answer; this header covers a dev server too.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
}
