import { useCallback, useEffect, useReducer, useRef, useState, type DragEvent } from 'react';
import type { AppInfo, WriteResult } from '../../electron/shared/contract.js';
import type { Translator } from '../../electron/shared/i18n/translator.js';
import { DEFAULT_LOCALE, type Locale } from '../../electron/shared/i18n/locales.js';
import { windowsRequest } from '../../electron/shared/setup.js';
import { canGoBack, canProceed, initialState, reducer, writeSteps, type WizardState } from '../../electron/shared/wizard.js';
import { asIpcError, bridge, unwrap } from './api.js';
import { LanguagePicker } from './components/LanguagePicker.js';
import { Stepper } from './components/Stepper.js';
import { I18nProvider, useT } from './i18n.js';
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

interface Language {
  /** The language in use. */
  locale: Locale;
  /** The user's choice, or null: the OS's. */
  choice: Locale | null;
}

/**
 * The app: asks main what it is and which language it speaks (once; the answer also carries the
 * image it was opened with), then shows the wizard in that language. Picking another language asks
 * main to remember it and switches at once.
 */
export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [language, setLanguage] = useState<Language | null>(null);
  const [launchImage, setLaunchImage] = useState<string | null>(null);
  useEffect(() => {
    void unwrap(bridge().appInfo({})).then(
      (i) => {
        setInfo(i);
        // Main hands the launch image out once; a second call (React's strict mode) must not lose it.
        if (i.launchImage) setLaunchImage(i.launchImage);
        setLanguage({ locale: i.locale, choice: i.languageChoice });
      },
      () => setLanguage({ locale: DEFAULT_LOCALE, choice: null }),
    );
  }, []);
  const chooseLanguage = useCallback(async (choice: Locale | null) => {
    try {
      const { locale } = await unwrap(bridge().setLanguage({ locale: choice }));
      setLanguage({ locale, choice });
    } catch (e) {
      // Not remembered; a named language still applies to this window.
      console.warn('language not saved:', asIpcError(e).message);
      setLanguage((l) => (choice ? { locale: choice, choice } : l));
    }
  }, []);
  if (!language) return null;
  return (
    <I18nProvider locale={language.locale}>
      <Wizard info={info} launchImage={launchImage} language={language} chooseLanguage={(c) => void chooseLanguage(c)} />
    </I18nProvider>
  );
}

function Wizard({ info, launchImage, language, chooseLanguage }: { info: AppInfo | null; launchImage: string | null; language: Language; chooseLanguage(choice: Locale | null): void }) {
  const tr = useT();
  const [state, dispatch] = useReducer(reducer, initialState);
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

  // The image the app was opened with ("Open with", a file argument): once.
  const launched = useRef<string | null>(null);
  useEffect(() => {
    if (!launchImage || launched.current === launchImage) return;
    launched.current = launchImage;
    openPath(launchImage);
  }, [launchImage, openPath]);

  // Bridge subscriptions: live drive list, job progress, menu commands.
  useEffect(() => {
    const api = bridge();
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
  const nextLabel = state.step === 'confirm' ? tr.t('app.nav.eraseAndWrite', { count: state.write.targets.length }) : tr.t('app.nav.next');

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
        <LanguagePicker choice={language.choice} onChoose={chooseLanguage} />
      </header>
      <main className="content" aria-labelledby="step-heading">
        <h1 id="step-heading" ref={headingRef} tabIndex={-1} className="step-heading">
          {stepHeading(tr, state)}
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
            {tr.t('app.nav.back')}
          </button>
          <button type="button" className={state.step === 'confirm' ? 'danger' : 'primary'} onClick={() => void next()} disabled={!canProceed(state)}>
            {nextLabel}
          </button>
        </footer>
      )}
      <div className="drop-hint" aria-hidden="true">
        {tr.t('app.shell.dropHint')}
      </div>
    </div>
  );
}

function stepHeading(tr: Translator, s: WizardState): string {
  switch (s.step) {
    case 'start':
      return tr.t('app.heading.start');
    case 'image':
      return tr.t('app.heading.image');
    case 'setup':
      return tr.t('app.heading.setup');
    case 'drives':
      return tr.t('app.heading.drives');
    case 'confirm':
      return tr.t('app.heading.confirm');
    case 'write':
      return tr.t('app.heading.write');
    case 'done': {
      const r = s.write.result;
      if (r?.outcome === 'done') return tr.t('app.heading.ready', { count: r.targets.length });
      if (r?.outcome === 'cancelled' || s.write.error?.code === 'E_CANCELLED') return tr.t('app.heading.cancelled');
      return tr.t('app.heading.failed');
    }
    case 'verify':
      return tr.t('app.heading.verify');
  }
}
