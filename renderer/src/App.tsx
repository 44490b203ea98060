import { useCallback, useEffect, useReducer, useRef, useState, type DragEvent } from 'react';
import type { AppInfo, WriteResult } from '../../electron/shared/contract.js';
import { windowsRequest } from '../../electron/shared/setup.js';
import { canGoBack, canProceed, initialState, reducer, writeSteps, type WizardState } from '../../electron/shared/wizard.js';
import { asIpcError, bridge, unwrap } from './api.js';
import { Stepper } from './components/Stepper.js';
import { ConfirmStep } from './steps/ConfirmStep.js';
import { DoneStep } from './steps/DoneStep.js';
import { DrivesStep } from './steps/DrivesStep.js';
import { ImageStep } from './steps/ImageStep.js';
import { generate } from './steps/setup/actions.js';
import { SetupStep } from './steps/SetupStep.js';
import { StartStep } from './steps/StartStep.js';
import { VerifyStep } from './steps/VerifyStep.js';
import { WriteStep } from './steps/WriteStep.js';
import type { StepProps } from './types.js';
import { useJob, type JobActions } from './useJob.js';

/** The app always reads a written stick back. */
const VERIFY_WRITES = true;

const WRITE: JobActions<WriteResult> = {
  started: (jobId) => ({ type: 'write-started', jobId, verify: VERIFY_WRITES }),
  finished: (jobId, result) => ({ type: 'write-finished', jobId, result }),
  failed: (jobId, error) => ({ type: 'write-failed', jobId, error }),
};

export function App() {
  const [state, dispatch] = useReducer(reducer, initialState);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [dragging, setDragging] = useState(false);
  const stateRef = useRef(state);
  stateRef.current = state;

  const inspect = useCallback(async (path: string) => {
    dispatch({ type: 'image-chosen', path });
    try {
      const v = await unwrap(bridge().inspectImage({ path }));
      dispatch({ type: 'image-inspected', path, info: v });
    } catch (e) {
      dispatch({ type: 'image-failed', path, error: asIpcError(e) });
    }
  }, []);

  /** An image named from outside the picker (dropped, "Open with", a file argument): start the write flow with it. */
  const openPath = useCallback(
    (path: string) => {
      const s = stateRef.current;
      if (s.step === 'write' || s.step === 'confirm' || s.verify.jobId) return;
      if (s.step === 'start' || s.step === 'done') dispatch({ type: 'start', flow: 'write' });
      void inspect(path);
    },
    [inspect],
  );

  const chooseImage = useCallback(async () => {
    try {
      const path = await unwrap(bridge().chooseImage({}));
      if (path) await inspect(path);
    } catch (e) {
      dispatch({ type: 'image-failed', path: stateRef.current.image.path ?? '', error: asIpcError(e) });
    }
  }, [inspect]);

  // Bridge subscriptions: live drive list, job progress, menu commands.
  useEffect(() => {
    const api = bridge();
    void unwrap(api.appInfo({})).then((i) => {
      setInfo(i);
      if (i.launchImage) openPath(i.launchImage);
    }, () => {});
    void unwrap(api.listDrives({ showAll: true })).then(
      (drives) => dispatch({ type: 'drives-changed', drives }),
      () => {},
    );
    const offs = [
      api.onDrivesChanged((drives) => dispatch({ type: 'drives-changed', drives })),
      api.onJobProgress(({ jobId, progress }) => dispatch({ type: 'job-progress', jobId, progress })),
      api.onOpenImage(({ path }) => openPath(path)),
      api.onMenuCommand((cmd) => {
        const s = stateRef.current;
        if (s.step === 'write' || s.verify.jobId) return;
        if (cmd === 'open-image') {
          if (s.step === 'start') dispatch({ type: 'start', flow: 'write' });
          void chooseImage();
        } else if (cmd === 'verify-stick') dispatch({ type: 'start', flow: 'verify' });
        else dispatch({ type: 'reset' });
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [chooseImage, openPath]);

  // Move focus to the new step's heading, so keyboard and screen reader users land on it.
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstStep = useRef(true);
  useEffect(() => {
    if (firstStep.current) {
      firstStep.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [state.step]);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (!file) return;
    const path = bridge().pathForFile(file);
    if (path) openPath(path);
  };

  const writeJob = useJob(dispatch, WRITE);
  const next = async () => {
    const s = stateRef.current;
    if (s.step === 'confirm') {
      // "Set up Windows" skipped: no `windows` at all, exactly the plain write.
      const windows = windowsRequest(s.setup);
      await writeJob.start((api, jobId) => api.startWrite({ jobId, image: s.image.path ?? '', targets: s.write.targets, mode: 'auto', verify: VERIFY_WRITES, ...(windows ? { windows } : {}) }));
      return;
    }
    // Settings leave their step with the answer file made from them (main checks them).
    if (s.step === 'setup' && s.setup.source === 'settings' && !s.setup.answers && !(await generate(s, dispatch))) return;
    dispatch({ type: 'next' });
  };

  const props: StepProps = { state, dispatch, info, chooseImage, inspect };
  const showNav = state.step === 'image' || state.step === 'setup' || state.step === 'drives' || state.step === 'confirm';
  const nextLabel = state.step === 'confirm' ? `Erase ${state.write.targets.length === 1 ? 'drive' : `${state.write.targets.length} drives`} and write` : 'Next';

  return (
    <div
      className={`app${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            7
          </span>
          <span>SevenStick</span>
        </div>
        <Stepper step={state.step} steps={writeSteps(state)} />
      </header>
      <main className="content" aria-labelledby="step-heading">
        <h1 id="step-heading" ref={headingRef} tabIndex={-1} className="step-heading">
          {stepHeading(state)}
        </h1>
        {state.step === 'start' && <StartStep {...props} />}
        {state.step === 'image' && <ImageStep {...props} />}
        {state.step === 'setup' && <SetupStep {...props} />}
        {state.step === 'drives' && <DrivesStep {...props} />}
        {state.step === 'confirm' && <ConfirmStep {...props} />}
        {state.step === 'write' && <WriteStep {...props} />}
        {state.step === 'done' && <DoneStep {...props} />}
        {state.step === 'verify' && <VerifyStep {...props} />}
      </main>
      {showNav && (
        <footer className="navbar">
          <button type="button" className="secondary" onClick={() => dispatch({ type: 'back' })} disabled={!canGoBack(state)}>
            Back
          </button>
          <button type="button" className={state.step === 'confirm' ? 'danger' : 'primary'} onClick={() => void next()} disabled={!canProceed(state)}>
            {nextLabel}
          </button>
        </footer>
      )}
      <div className="drop-hint" aria-hidden="true">
        Drop the ISO to use it
      </div>
    </div>
  );
}

function stepHeading(s: WizardState): string {
  switch (s.step) {
    case 'start':
      return 'Make a Windows 7 USB stick';
    case 'image':
      return 'Choose the Windows 7 image';
    case 'setup':
      return 'Set up Windows';
    case 'drives':
      return 'Choose the USB drive';
    case 'confirm':
      return 'Erase and write?';
    case 'write':
      return 'Writing';
    case 'done': {
      const r = s.write.result;
      if (r?.outcome === 'done') return r.targets.length > 1 ? 'Your sticks are ready' : 'Your stick is ready';
      if (r?.outcome === 'cancelled' || s.write.error?.code === 'E_CANCELLED') return 'Writing cancelled';
      return 'Writing did not finish';
    }
    case 'verify':
      return 'Verify a stick';
  }
}
