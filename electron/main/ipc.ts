/**
 * The IPC entry: one ipcMain handler per contract channel. Every message's sender is checked first
 * (sender.ts: our window's webContents, its top frame, showing our page); anything else is logged and
 * answered E_BAD_REQUEST without reaching a handler. Then `dispatch` validates and runs it.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { INVOKE_METHODS, type InvokeChannel } from '../shared/contract.js';
import { dispatch, type Handlers } from './handlers.js';
import { isTrustedSender } from './sender.js';

export interface IpcDeps {
  handlers: Handlers;
  appUrl: string;
  /** Our window's webContents, or null while there is no window. */
  ourContents(): WebContents | null;
  log(line: string): void;
}

export function registerIpc(deps: IpcDeps): void {
  for (const channel of Object.keys(INVOKE_METHODS) as InvokeChannel[]) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, payload: unknown) => {
      const frame = event.senderFrame;
      const ours = deps.ourContents();
      const trusted = isTrustedSender({ fromOurWindow: !!ours && event.sender === ours, isMainFrame: !!frame && frame === event.sender.mainFrame, frameUrl: frame?.url ?? null }, deps.appUrl);
      if (!trusted) {
        deps.log(`ipc: dropped ${channel} from an untrusted sender (${frame?.url ?? 'no frame'})`);
        return { ok: false, error: { code: 'E_BAD_REQUEST', message: 'untrusted sender' } };
      }
      return dispatch(deps.handlers, channel, payload);
    });
  }
}
