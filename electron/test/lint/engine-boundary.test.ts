/**
 * The engine boundary is a lint rule (eslint.config.mjs): code under electron/engine/ may not import
 * electron, nor code from main/preload/renderer/helper/cli, and of shared/ only format.ts. This checks the rule really fires, with
 * ESLint's own API on the project's own configuration.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO } from '../helpers/tools.js';

interface LintMessage {
  ruleId: string | null;
  message: string;
}
interface EslintApi {
  lintText(code: string, opts: { filePath: string }): Promise<Array<{ messages: LintMessage[] }>>;
}

async function lint(code: string, file: string): Promise<LintMessage[]> {
  // eslint is ESM-first; load it the way Node resolves it from the repository.
  const { ESLint } = (await import(require.resolve('eslint', { paths: [REPO] }))) as { ESLint: new (o: { cwd: string }) => EslintApi };
  const [result] = await new ESLint({ cwd: REPO }).lintText(code, { filePath: join(REPO, file) });
  return result?.messages ?? [];
}

const restricted = (msgs: LintMessage[]) => msgs.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);

test('the engine may not import electron or GUI code; other layers may', { timeout: 120_000 }, async () => {
  const electronImport = "import { app } from 'electron';\nexport const x = app;\n";
  assert.match(restricted(await lint(electronImport, 'electron/engine/image/bad.ts')).join('\n'), /must not import electron/);
  const mainImport = "import { createHandlers } from '../../main/handlers.js';\nexport const x = createHandlers;\n";
  assert.match(restricted(await lint(mainImport, 'electron/engine/job/bad.ts')).join('\n'), /must not import code from main/);
  const rendererImport = "import { App } from '../../../renderer/src/App.js';\nexport const x = App;\n";
  assert.equal(restricted(await lint(rendererImport, 'electron/engine/bad.ts')).length, 1);
  // Of electron/shared/, only the pure formatter every layer shares.
  const formatImport = "import { formatBytes } from '../../shared/format.js';\nexport const x = formatBytes;\n";
  assert.deepEqual(restricted(await lint(formatImport, 'electron/engine/layout/fine.ts')), []);
  const sharedImport = "import { toIpcError } from '../../shared/errors.js';\nexport const x = toIpcError;\n";
  assert.match(restricted(await lint(sharedImport, 'electron/engine/job/bad.ts')).join('\n'), /only shared\/format\.js/);
  // Main may import electron and the engine.
  assert.deepEqual(restricted(await lint(electronImport, 'electron/main/fine.ts')), []);
  const engineImport = "import { FileReader } from '../engine/index.js';\nexport const x = FileReader;\n";
  assert.deepEqual(restricted(await lint(engineImport, 'electron/cli/fine.ts')), []);
});
