/** The step's calls to main: generate, preset save/load, answer-file export/import. Each dispatches its outcome. */
import type { AnswersResponse } from '../../../../electron/shared/contract.js';
import { passwordFor, presetOf, type SetupPreset } from '../../../../electron/shared/setup.js';
import type { WizardState } from '../../../../electron/shared/wizard.js';
import { asIpcError, bridge, unwrap } from '../../api.js';
import type { Dispatch } from '../../types.js';

const editionsOf = (s: WizardState) => s.image.info?.windows?.editions ?? [];

/** Runs one call with the step busy; a failure is shown on the step. */
async function busy<T>(dispatch: Dispatch, call: () => Promise<T>): Promise<T | null> {
  dispatch({ type: 'setup-busy' });
  try {
    return await call();
  } catch (e) {
    dispatch({ type: 'setup-failed', error: asIpcError(e) });
    return null;
  } finally {
    dispatch({ type: 'setup-done' });
  }
}

/** The answer file for the current settings (main validates the preset and generates it). */
export async function generate(s: WizardState, dispatch: Dispatch): Promise<AnswersResponse | null> {
  const preset = presetOf(s.setup, editionsOf(s));
  const a = await busy(dispatch, () => unwrap(bridge().generateAnswers({ image: s.image.path ?? '', preset, password: passwordFor(preset, s.setup) })));
  if (a) dispatch({ type: 'setup-generated', answers: a });
  return a;
}

export async function savePreset(s: WizardState, dispatch: Dispatch): Promise<void> {
  const preset = presetOf(s.setup, editionsOf(s));
  await busy(dispatch, () => unwrap(bridge().savePreset({ preset })));
}

export async function loadPreset(s: WizardState, dispatch: Dispatch): Promise<void> {
  const r = await busy(dispatch, () => unwrap(bridge().loadPreset({})));
  // Main validated it with the engine's validatePreset.
  if (r) dispatch({ type: 'setup-preset-loaded', preset: r.preset as SetupPreset, editions: editionsOf(s) });
}

export async function exportAnswers(s: WizardState, dispatch: Dispatch): Promise<void> {
  const a = s.setup.answers ?? (await generate(s, dispatch));
  if (!a) return;
  await busy(dispatch, () => unwrap(bridge().exportAnswers({ xml: a.xml })));
}

export async function importAnswers(dispatch: Dispatch): Promise<void> {
  const r = await busy(dispatch, () => unwrap(bridge().importAnswers({})));
  if (r) dispatch({ type: 'setup-imported', xml: r.xml });
}
