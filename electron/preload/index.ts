/**
 * The preload bridge (runs sandboxed: it may only require 'electron'). It exposes exactly one function
 * per contract channel as `window.sevenstick` — never ipcRenderer itself — plus `pathForFile` for
 * drag and drop. Its channel → method tables are inlined copies of the contract's (a sandboxed
 * preload cannot load our other modules); electron/test/app/contract.test.ts checks they are equal.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { DroppedFile, EventChannel, InvokeChannel, SevenStickApi } from '../shared/contract.js';

export const PRELOAD_INVOKE_METHODS: Record<InvokeChannel, string> = {
  'app:info': 'appInfo',
  'image:choose': 'chooseImage',
  'image:inspect': 'inspectImage',
  'image:checksum': 'checksumImage',
  'drives:list': 'listDrives',
  'write:start': 'startWrite',
  'verify:start': 'startVerify',
  'job:cancel': 'cancelJob',
  'log:open': 'openLog',
  'answers:generate': 'generateAnswers',
  'preset:save': 'savePreset',
  'preset:load': 'loadPreset',
  'answers:export': 'exportAnswers',
  'answers:import': 'importAnswers',
  'settings:language': 'setLanguage',
};

export const PRELOAD_EVENT_METHODS: Record<EventChannel, string> = {
  'drives:changed': 'onDrivesChanged',
  'job:progress': 'onJobProgress',
  'menu:command': 'onMenuCommand',
  'image:open': 'onOpenImage',
};

export function buildApi(): SevenStickApi {
  const api: Record<string, unknown> = {};
  for (const [channel, method] of Object.entries(PRELOAD_INVOKE_METHODS)) {
    // Only the request object crosses; the event object and ipcRenderer stay here.
    api[method] = (request: unknown) => ipcRenderer.invoke(channel, request);
  }
  for (const [channel, method] of Object.entries(PRELOAD_EVENT_METHODS)) {
    api[method] = (listener: (payload: unknown) => void) => {
      const wrapped = (_e: IpcRendererEvent, payload: unknown): void => listener(payload);
      ipcRenderer.on(channel, wrapped);
      return () => {
        ipcRenderer.removeListener(channel, wrapped);
      };
    };
  }
  api.pathForFile = (file: DroppedFile): string => {
    try {
      return webUtils.getPathForFile(file as unknown as File);
    } catch {
      return '';
    }
  };
  return Object.freeze(api) as unknown as SevenStickApi;
}

if (process.contextIsolated) contextBridge.exposeInMainWorld('sevenstick', buildApi());
