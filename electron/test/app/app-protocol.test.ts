/**
 * The app:// origin (electron/main/app-protocol.ts): what URL maps to which file, and what main's
 * protocol handler answers, against a real folder with a secret next to it and a symlink pointing out.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_URL, chooseAppUrl, CSP, mimeType, resolveAppPath, serveAppRequest } from '../../main/app-protocol.js';
import { tempDir } from '../helpers/tools.js';

const tmp = tempDir('sevenstick-app-protocol-');
const ROOT = join(tmp.path, 'renderer');

before(() => {
  mkdirSync(join(ROOT, 'assets'), { recursive: true });
  writeFileSync(join(ROOT, 'index.html'), '<!doctype html><title>ok</title>');
  writeFileSync(join(ROOT, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(ROOT, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(ROOT, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(join(ROOT, 'assets', 'notes.txt'), 'no type for this');
  mkdirSync(join(ROOT, 'assets', 'folder.js'));
  // Outside the root: a sibling whose name starts like the root's, and a file a symlink points to.
  mkdirSync(join(tmp.path, 'renderer-secret'));
  writeFileSync(join(tmp.path, 'renderer-secret', 'secret.html'), 'SECRET');
  writeFileSync(join(tmp.path, 'passwd.html'), 'SECRET');
  symlinkSync(join(tmp.path, 'passwd.html'), join(ROOT, 'link.html'));
});
after(() => tmp.cleanup());

test('app:// URLs resolve to files inside the renderer folder, and nothing else does', () => {
  assert.equal(APP_URL, 'app://sevenstick/index.html');
  assert.equal(resolveAppPath('app://sevenstick/index.html', ROOT), join(ROOT, 'index.html'));
  assert.equal(resolveAppPath('app://sevenstick/', ROOT), join(ROOT, 'index.html'));
  assert.equal(resolveAppPath('app://sevenstick', ROOT), join(ROOT, 'index.html'));
  assert.equal(resolveAppPath('app://sevenstick/assets/index-abc.js?v=1#x', ROOT), join(ROOT, 'assets', 'index-abc.js'), 'query and fragment ignored');
  assert.equal(resolveAppPath('app://sevenstick/assets/my%20file.js', ROOT), join(ROOT, 'assets', 'my file.js'));
  // Dot segments the URL parser removes stay inside the root (…/etc/passwd under it, which does not exist).
  for (const u of ['app://sevenstick/../../etc/passwd', 'app://sevenstick/%2e%2e/%2e%2e/etc/passwd', 'app://sevenstick/assets/%2E%2E/%2E%2E/%2E%2E/etc/passwd']) {
    const p = resolveAppPath(u, ROOT);
    assert.equal(p, join(ROOT, 'etc', 'passwd'), u);
  }
  const refused = [
    'app://sevenstick/..%2f..%2fetc%2fpasswd',
    'app://sevenstick/%2e%2e%2f%2e%2e%2fpasswd.html',
    'app://sevenstick/..%5c..%5cpasswd.html',
    'app://sevenstick/a%00.html',
    'app://sevenstick/%E0%A4%A',
    'app://evil/index.html',
    'app://SevenStick.evil/index.html',
    'app://sevenstick:8080/index.html',
    'app://user@sevenstick/index.html',
    'app:///etc/passwd',
    'app:index.html',
    'file:///etc/passwd',
    'http://sevenstick/index.html',
    'not a url',
  ];
  for (const u of refused) assert.equal(resolveAppPath(u, ROOT), null, u);
  // Whatever the URL, a resolved path is never outside the root.
  for (const seg of ['..', '%2e%2e', '.%2e', '%2e.', '....', '..;', '..%00', '%252e%252e']) {
    const p = resolveAppPath(`app://sevenstick/${seg}/${seg}/renderer-secret/secret.html`, ROOT);
    assert.ok(p === null || p.startsWith(ROOT + '/'), `${seg} → ${p}`);
  }
});

test('types: the bundle\'s types, nothing unknown', () => {
  assert.equal(mimeType('/x/index.html'), 'text/html; charset=utf-8');
  assert.equal(mimeType('/x/a.JS'), 'text/javascript; charset=utf-8');
  assert.equal(mimeType('/x/a.css'), 'text/css; charset=utf-8');
  assert.equal(mimeType('/x/a.svg'), 'image/svg+xml');
  assert.equal(mimeType('/x/a.png'), 'image/png');
  assert.equal(mimeType('/x/a.woff2'), 'font/woff2');
  assert.equal(mimeType('/x/a.txt'), null);
  assert.equal(mimeType('/x/noext'), null);
});

test('the handler serves our files with their type and the CSP, and answers 404/405 with the CSP otherwise', async () => {
  const get = (url: string, method = 'GET') => serveAppRequest({ url, method }, ROOT);
  const page = await get('app://sevenstick/index.html');
  assert.equal(page.status, 200);
  assert.equal(page.headers['Content-Type'], 'text/html; charset=utf-8');
  assert.equal(Buffer.from(page.body ?? []).toString(), '<!doctype html><title>ok</title>');
  const js = await get('app://sevenstick/assets/index-abc.js');
  assert.equal(js.status, 200);
  assert.equal(js.headers['Content-Type'], 'text/javascript; charset=utf-8');
  assert.equal(Buffer.from(js.body ?? []).toString(), 'console.log(1)');
  assert.equal((await get('app://sevenstick/assets/index-abc.css')).headers['Content-Type'], 'text/css; charset=utf-8');
  const head = await get('app://sevenstick/assets/logo.svg', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body, null);
  for (const r of [page, js, head]) {
    assert.equal(r.headers['Content-Security-Policy'], CSP);
    assert.equal(r.headers['X-Content-Type-Options'], 'nosniff');
  }
  assert.match(CSP, /default-src 'none'/);
  assert.match(CSP, /frame-ancestors 'none'/);

  for (const u of [
    'app://sevenstick/../../etc/passwd',
    'app://sevenstick/%2e%2e/passwd.html',
    'app://sevenstick/..%2fpasswd.html',
    'app://sevenstick/../renderer-secret/secret.html',
    'app://sevenstick/link.html',
    'app://sevenstick/assets/notes.txt',
    'app://sevenstick/assets/folder.js',
    'app://sevenstick/missing.js',
    'app://other/index.html',
  ]) {
    const r = await get(u);
    assert.equal(r.status, 404, u);
    assert.equal(r.body, null, u);
    assert.equal(r.headers['Content-Security-Policy'], CSP, `${u}: refusals carry the CSP too`);
    assert.equal(r.headers['Content-Type'], undefined);
  }
  const post = await get('app://sevenstick/index.html', 'POST');
  assert.equal(post.status, 405);
  assert.equal(post.headers['Content-Security-Policy'], CSP);
});

test('the dev server URL counts only in an unpackaged app, and only a localhost http URL', () => {
  const dev = 'http://localhost:5173/';
  assert.equal(chooseAppUrl({ isPackaged: false, devUrl: dev }), dev);
  assert.equal(chooseAppUrl({ isPackaged: false, devUrl: 'http://127.0.0.1:5173' }), 'http://127.0.0.1:5173');
  assert.equal(chooseAppUrl({ isPackaged: true, devUrl: dev }), APP_URL, 'a packaged app ignores SEVENSTICK_DEV_URL');
  assert.equal(chooseAppUrl({ isPackaged: false, devUrl: undefined }), APP_URL);
  assert.equal(chooseAppUrl({ isPackaged: false, devUrl: '' }), APP_URL);
  for (const bad of ['https://evil.example/', 'http://localhost.evil.example:80/', 'http://localhost:5173/../x', 'file:///tmp/x.html', 'http://10.0.0.1:5173/', 'javascript:alert(1)']) {
    assert.equal(chooseAppUrl({ isPackaged: false, devUrl: bad }), APP_URL, bad);
  }
});
