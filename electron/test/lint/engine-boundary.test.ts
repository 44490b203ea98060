/**
 * The engine's boundaries are lint rules (eslint.config.mjs): code under electron/engine/ may not import
 * electron, nor code from main/preload/renderer/helper/cli, and of shared/ only format.ts and validate.ts;
 * inside the engine no import runs back up a layer (io → image → layout → device → verify → job,
 * ARCHITECTURE.md); outside it, the engine is imported only through electron/engine/index.js. This
 * checks the rules really fire, with ESLint's own API on the project's own configuration.
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
  // Of electron/shared/, only the pure modules every layer may share.
  const formatImport = "import { formatBytes } from '../../shared/format.js';\nexport const x = formatBytes;\n";
  assert.deepEqual(restricted(await lint(formatImport, 'electron/engine/layout/fine.ts')), []);
  const sharedImport = "import { toIpcError } from '../../shared/errors.js';\nexport const x = toIpcError;\n";
  assert.match(restricted(await lint(sharedImport, 'electron/engine/job/bad.ts')).join('\n'), /only the pure modules/);
  // Main may import electron and the engine.
  assert.deepEqual(restricted(await lint(electronImport, 'electron/main/fine.ts')), []);
  const engineImport = "import { FileReader } from '../engine/index.js';\nexport const x = FileReader;\n";
  assert.deepEqual(restricted(await lint(engineImport, 'electron/cli/fine.ts')), []);
});

test('inside the engine no import runs back up a layer', { timeout: 120_000 }, async () => {
  const { LAYERS } = (await import(join(REPO, 'eslint.config.mjs'))) as { LAYERS: string[] };
  assert.deepEqual(LAYERS, ['io', 'image', 'layout', 'device', 'verify', 'job']);
  // Every layer, importing every layer: allowed exactly when the imported one is not above it.
  for (const [i, layer] of LAYERS.entries()) {
    for (const [j, other] of LAYERS.entries()) {
      const code = `import { x } from '../${other}/thing.js';\nexport const y = x;\n`;
      const msgs = restricted(await lint(code, `electron/engine/${layer}/bad.ts`));
      if (j > i) assert.match(msgs.join('\n'), /must not import a layer above it/, `${layer} → ${other}`);
      else assert.deepEqual(msgs, [], `${layer} → ${other}`);
    }
  }
  // From a subfolder, and as a type-only import or a re-export.
  const typeUp = "import type { Progress } from '../../../job/write-job.js';\nexport type P = Progress;\n";
  assert.match(restricted(await lint(typeUp, 'electron/engine/image/wim/bad.ts')).join('\n'), /engine\/image\/ must not import a layer above it/);
  const reexport = "export { openImageStream } from '../job/image-stream.js';\n";
  assert.equal(restricted(await lint(reexport, 'electron/engine/verify/bad.ts')).length, 1);
  // The engine's own entry sits above every layer.
  assert.deepEqual(restricted(await lint("export * from './job/index.js';\n", 'electron/engine/index.ts')), []);
});

test('outside the engine, only its entry is imported; tests may go deeper', { timeout: 120_000 }, async () => {
  const deep = "import { runWriteJob } from '../../engine/job/write-job.js';\nexport const x = runWriteJob;\n";
  const deepType = "import type { Progress } from '../engine/io/progress.js';\nexport type P = Progress;\n";
  const entry = "import { runWriteJob } from '../../engine/index.js';\nexport const x = runWriteJob;\n";
  assert.match(restricted(await lint(deep, 'electron/cli/commands/bad.ts')).join('\n'), /only through its entry/);
  assert.match(restricted(await lint(deepType, 'electron/main/bad.ts')).join('\n'), /only through its entry/);
  assert.equal(restricted(await lint(deepType, 'electron/helper/bad.ts')).length, 1);
  assert.equal(restricted(await lint("import type { Progress } from '../electron/engine/io/progress.js';\nexport type P = Progress;\n", 'e2e/bad.ts')).length, 1);
  assert.deepEqual(restricted(await lint(entry, 'electron/cli/commands/fine.ts')), []);
  assert.deepEqual(restricted(await lint(deep, 'electron/test/device/fine.ts')), []);
});
