import type { AppInfo } from '../../electron/shared/contract.js';
import type { Action, WizardState } from '../../electron/shared/wizard.js';

export type Dispatch = (a: Action) => void;

/** What App hands every step. */
export interface StepProps {
  state: WizardState;
  dispatch: Dispatch;
  info: AppInfo | null;
  /** Asks main for an image (native dialog) and inspects it. */
  chooseImage(): Promise<void>;
  inspect(path: string): Promise<void>;
}
