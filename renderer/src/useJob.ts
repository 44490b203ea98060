import { useCallback, useState } from 'react';
import type { IpcError, IpcResult, SevenStickApi } from '../../electron/shared/contract.js';
import type { Action } from '../../electron/shared/wizard.js';
import { asIpcError, bridge, newJobId, unwrap } from './api.js';
import type { Dispatch } from './types.js';

/** The wizard actions that follow one kind of job through its life. */
export interface JobActions<T> {
  started(jobId: string): Action;
  finished(jobId: string, value: T): Action;
  failed(jobId: string, error: IpcError): Action;
}

/**
 * A job's lifecycle (checksum, write, verify): a new job id, "started", the bridge call, then
 * "finished" with its answer or "failed" with the contract error. `busy` is true while the call runs.
 */
export function useJob<T>(dispatch: Dispatch, actions: JobActions<T>) {
  const [busy, setBusy] = useState(false);
  const start = useCallback(
    async (call: (api: SevenStickApi, jobId: string) => Promise<IpcResult<T>>) => {
      const jobId = newJobId();
      setBusy(true);
      dispatch(actions.started(jobId));
      try {
        const value = await unwrap(call(bridge(), jobId));
        dispatch(actions.finished(jobId, value));
      } catch (e) {
        dispatch(actions.failed(jobId, asIpcError(e)));
      } finally {
        setBusy(false);
      }
    },
    [dispatch, actions],
  );
  return { start, busy };
}
