/**
 * Loading our modules with a stand-in for a package they require (e.g. 'electron', which in plain Node
 * is only the path of a binary we do not have): `require(id)` answers `standIn` while `load` runs.
 */
import Module, { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;

export async function withStandIn<T>(id: string, standIn: unknown, load: () => T | Promise<T>): Promise<T> {
  const M = Module as unknown as { _load: Load };
  const orig = M._load;
  M._load = (request, parent, isMain) => (request === id ? standIn : orig(request, parent, isMain));
  try {
    return await load();
  } finally {
    M._load = orig;
  }
}

/** Runs `file` afresh — it and every module loaded from its folder (module-level state included). */
export function requireFresh(file: string): unknown {
  const dir = dirname(file) + sep;
  for (const key of Object.keys(require.cache)) if (key.startsWith(dir)) delete require.cache[key];
  return createRequire(__filename)(file);
}
