/** Engine bindings for handler tests: the ones a test gives, and every other one failing loudly if called. */
import type { EngineBindings } from '../../main/engine-bindings.js';

const unused = (name: string) => async (): Promise<never> => {
  throw new Error(`the engine's ${name} is not used by this test`);
};

export function stubEngine(over: Partial<EngineBindings> = {}): EngineBindings {
  return {
    inspect: unused('inspect'),
    checksum: unused('checksum'),
    listDrives: unused('listDrives'),
    identifyForConfirm: unused('identifyForConfirm'),
    writeFiles: unused('writeFiles'),
    verifyFile: unused('verifyFile'),
    checkWindows: unused('checkWindows'),
    generateAnswers: unused('generateAnswers'),
    presetFile: unused('presetFile'),
    readPreset: unused('readPreset'),
    checkAnswerFile: unused('checkAnswerFile'),
    ...over,
  };
}
