/**
 * A stand-in for the `electron` module, so electron/main/index.ts runs in plain Node (main.test.ts).
 * (Over 400 lines on purpose: it is one module's stand-in, swapped in for `electron` as one file.)
 *
 * Typed from Electron's own declarations: each part implements only the members main uses, declared
 * as `Pick<…>` of Electron's interfaces (or with Electron's parameter types), and the events it can
 * fire are tables of the arguments Electron passes, checked both ways against Electron's overloads
 * (`eventsMatchElectron`) — so tsc fails when the stand-in drifts from Electron's declarations, and
 * main's own calls are type-checked against the real module. At run time every part is strict:
 * reading a member it does not implement, or listening to an event it cannot fire, throws and names
 * it. It enforces the order Electron enforces: privileged schemes only before ready; sessions,
 * protocol handlers and windows only after; one ipcMain handler per channel.
 *
 * Where Electron hands main its own objects (a WebContents, an IPC event), the test passes stand-ins
 * through `asElectron`: main can only read what they implement (the strict proxy throws otherwise).
 */
import type {
  App,
  BaseWindow,
  BrowserWindow,
  CustomScheme,
  Dialog,
  DownloadItem,
  Event,
  IpcMain,
  Menu,
  MenuItemConstructorOptions,
  MessageBoxOptions,
  MessageBoxSyncOptions,
  Notification,
  NotificationConstructorOptions,
  OpenDialogOptions,
  PowerSaveBlocker,
  ProgressBarOptions,
  Protocol,
  Session,
  Shell,
  WebContents,
  WebContentsWillNavigateEventParams,
  WebContentsWillRedirectEventParams,
  WebFrameMain,
  WebPreferences,
  WebRequest,
  WebRequestFilter,
} from 'electron';
import type { Same } from '../../main/engine-bindings.js';

// ---------------------------------------------------------------------------------------------
// Events: what Electron passes each listener main registers, checked against Electron's overloads.
// ---------------------------------------------------------------------------------------------

type Events = Record<string, unknown[]>;

export interface AppEvents extends Events {
  'second-instance': [Event, string[], string, unknown];
  'open-file': [Event, string];
  'web-contents-created': [Event, WebContents];
  'window-all-closed': [];
  'before-quit': [Event];
  'will-quit': [Event];
  activate: [Event, boolean];
}
export interface WindowEvents extends Events {
  'ready-to-show': [];
  close: [Event];
  closed: [];
}
export interface WebContentsEvents extends Events {
  'will-navigate': [Event<WebContentsWillNavigateEventParams>, string, boolean, boolean, number, number];
  'will-redirect': [Event<WebContentsWillRedirectEventParams>, string, boolean, boolean, number, number];
  'will-attach-webview': [Event, WebPreferences, Record<string, string>];
}
export interface SessionEvents extends Events {
  'will-download': [Event, DownloadItem, WebContents, WebFrameMain | null];
}

const same = <A, B>(ok: Same<A, B>): void => void ok;

/**
 * Compile-time only (never called): each table row is exactly the argument list Electron's overload
 * for that event declares — a tsc error the day Electron changes one.
 */
export function eventsMatchElectron(app: App, win: BrowserWindow, wc: WebContents, ses: Session): void {
  app.on('second-instance', (..._a) => same<typeof _a, AppEvents['second-instance']>(true));
  app.on('open-file', (..._a) => same<typeof _a, AppEvents['open-file']>(true));
  app.on('web-contents-created', (..._a) => same<typeof _a, AppEvents['web-contents-created']>(true));
  app.on('window-all-closed', (..._a) => same<typeof _a, AppEvents['window-all-closed']>(true));
  app.on('before-quit', (..._a) => same<typeof _a, AppEvents['before-quit']>(true));
  app.on('will-quit', (..._a) => same<typeof _a, AppEvents['will-quit']>(true));
  app.on('activate', (..._a) => same<typeof _a, AppEvents['activate']>(true));
  win.on('ready-to-show', (..._a) => same<typeof _a, WindowEvents['ready-to-show']>(true));
  win.on('close', (..._a) => same<typeof _a, WindowEvents['close']>(true));
  win.on('closed', (..._a) => same<typeof _a, WindowEvents['closed']>(true));
  wc.on('will-navigate', (..._a) => same<typeof _a, WebContentsEvents['will-navigate']>(true));
  wc.on('will-redirect', (..._a) => same<typeof _a, WebContentsEvents['will-redirect']>(true));
  wc.on('will-attach-webview', (..._a) => same<typeof _a, WebContentsEvents['will-attach-webview']>(true));
  ses.on('will-download', (..._a) => same<typeof _a, SessionEvents['will-download']>(true));
}

/** An Electron event object: `preventDefault()` and `defaultPrevented`, plus the event's own fields. */
export function electronEvent<P extends object = object>(params?: P): Event<P> {
  let prevented = false;
  return {
    ...(params as P),
    preventDefault: () => {
      prevented = true;
    },
    get defaultPrevented() {
      return prevented;
    },
  };
}

/** Listeners by event; `on` refuses events the table does not list (the stand-in could never fire them). */
class Emitter<E extends Events> {
  private readonly listeners = new Map<string, Array<(...args: never[]) => unknown>>();
  constructor(
    private readonly emitterName: string,
    private readonly known: Record<keyof E, true>,
  ) {}

  on(event: string, listener: (...args: never[]) => unknown): this {
    if (!Object.hasOwn(this.known, event)) throw new Error(`electron stand-in: main listens to ${this.emitterName} '${event}', which the stand-in cannot fire: add it to its event table`);
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  once(event: string, listener: (...args: never[]) => unknown): this {
    const wrapped = (...args: never[]): unknown => {
      this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== wrapped));
      return listener(...args);
    };
    return this.on(event, wrapped);
  }

  listenerCount(event: keyof E & string): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  /** Fires an event as Electron would, with the arguments Electron passes. */
  emit<K extends keyof E & string>(event: K, ...args: E[K]): void {
    for (const l of [...(this.listeners.get(event) ?? [])]) (l as (...a: E[K]) => unknown)(...args);
  }
}

/** Reading a member the stand-in does not implement throws, naming it. */
function strict<T extends object>(name: string, target: T): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      if (typeof prop === 'string' && !(prop in t) && prop !== 'then' && prop !== 'toJSON') {
        throw new Error(`electron stand-in: main read ${name}.${prop}, which the stand-in does not implement (add it, typed from Electron's declarations)`);
      }
      return Reflect.get(t, prop, receiver) as unknown;
    },
  });
}

/** A stand-in where Electron would pass its own object (see the file's comment). */
export function asElectron<T>(standIn: object): T {
  return standIn as T;
}

// ---------------------------------------------------------------------------------------------
// The parts main uses.
// ---------------------------------------------------------------------------------------------

type WindowOpenHandler = Parameters<WebContents['setWindowOpenHandler']>[0];

export class StandInFrame implements Pick<WebFrameMain, 'url'> {
  constructor(public url: string) {}
}

export class StandInWebContents extends Emitter<WebContentsEvents> implements Pick<WebContents, 'isLoading' | 'send' | 'setWindowOpenHandler'> {
  readonly mainFrame = strict('webFrameMain', new StandInFrame(''));
  loading = true;
  readonly sent: Array<[string, unknown]> = [];
  windowOpenHandler: WindowOpenHandler | null = null;
  /** Called for every message main sends (the test reacts to it, e.g. quits mid-write). */
  onSend: ((channel: string, payload: unknown) => void) | null = null;

  constructor() {
    super('webContents', { 'will-navigate': true, 'will-redirect': true, 'will-attach-webview': true });
  }
  isLoading(): boolean {
    return this.loading;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, args[0]]);
    this.onSend?.(channel, args[0]);
  }
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
  /** What main's handlers answer a navigation to `url` (true: prevented). */
  navigate(url: string): boolean {
    const e = electronEvent<WebContentsWillNavigateEventParams>({ url, isSameDocument: false, isMainFrame: true, frame: null });
    this.emit('will-navigate', e, url, false, true, 1, 1);
    if (!e.defaultPrevented) this.mainFrame.url = url;
    return e.defaultPrevented;
  }
}

type WindowPart = Pick<BrowserWindow, 'isMinimized' | 'restore' | 'focus' | 'isDestroyed' | 'setProgressBar' | 'setTitle' | 'setThumbnailToolTip' | 'isFocused' | 'show' | 'close' | 'loadURL'>;
type WindowOptions = ConstructorParameters<typeof BrowserWindow>[0];

export class StandInWindow extends Emitter<WindowEvents> implements WindowPart {
  readonly webContents = strict('webContents', new StandInWebContents());
  minimized = false;
  focused = false;
  shown = false;
  destroyed = false;
  readonly progress: Array<[number, ProgressBarOptions | undefined]> = [];
  /** Every title main set, in order (the constructor's first). */
  readonly titles: string[] = [];
  /** Every taskbar thumbnail tooltip main set (Windows only). */
  readonly thumbnailToolTips: string[] = [];

  constructor(
    private readonly world: ElectronWorld,
    readonly options: WindowOptions,
  ) {
    super('BrowserWindow', { 'ready-to-show': true, close: true, closed: true });
    if (options?.title !== undefined) this.titles.push(options.title);
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  focus(): void {
    this.focused = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setProgressBar(progress: number, options?: ProgressBarOptions): void {
    this.progress.push([progress, options]);
  }
  setTitle(title: string): void {
    this.titles.push(title);
  }
  setThumbnailToolTip(toolTip: string): void {
    this.thumbnailToolTips.push(toolTip);
  }
  isFocused(): boolean {
    return this.focused;
  }
  show(): void {
    this.shown = true;
  }
  /** As Electron: 'close' (may be prevented), then 'closed', then 'window-all-closed' for the last one. */
  close(): void {
    if (this.destroyed) return;
    const e = electronEvent();
    this.emit('close', e);
    if (e.defaultPrevented) return;
    this.destroyed = true;
    this.emit('closed');
    if (this.world.openWindows().length === 0) this.world.app.emit('window-all-closed');
  }
  async loadURL(url: string): Promise<void> {
    this.world.calls.push(`loadURL ${url}`);
    this.webContents.mainFrame.url = url;
    this.webContents.loading = false;
  }
}

type HeadersListener = Parameters<WebRequest['onHeadersReceived']>[0];
type ProtocolHandler = Parameters<Protocol['handle']>[1];
type IpcHandler = Parameters<IpcMain['handle']>[1];
type PermissionRequestHandler = Parameters<Session['setPermissionRequestHandler']>[0];
type PermissionCheckHandler = Parameters<Session['setPermissionCheckHandler']>[0];

export class StandInSession extends Emitter<SessionEvents> implements Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> {
  permissionRequest: PermissionRequestHandler = null;
  permissionCheck: PermissionCheckHandler = null;
  headersListener: HeadersListener = null;
  readonly webRequest: Pick<WebRequest, 'onHeadersReceived'>;

  constructor() {
    super('session', { 'will-download': true });
    this.webRequest = strict('webRequest', {
      onHeadersReceived: (...args: [WebRequestFilter, HeadersListener] | [HeadersListener]) => {
        this.headersListener = args.length === 2 ? args[1] : args[0];
      },
    });
  }
  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequest = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler): void {
    this.permissionCheck = handler;
  }
}

export class StandInApp extends Emitter<AppEvents> implements Pick<App, 'isPackaged' | 'getPath' | 'getVersion' | 'getLocale' | 'getPreferredSystemLanguages' | 'requestSingleInstanceLock' | 'quit' | 'whenReady'> {
  readonly isPackaged = false;
  /** What `requestSingleInstanceLock` answers (false: another instance runs). */
  singleInstance = true;
  quitCalls = 0;
  quitted = false;
  /** Whether each 'before-quit' was prevented, in the order the quits began (a quit may start another). */
  readonly beforeQuitPrevented: boolean[] = [];

  constructor(private readonly world: ElectronWorld) {
    super('app', { 'second-instance': true, 'open-file': true, 'web-contents-created': true, 'window-all-closed': true, 'before-quit': true, 'will-quit': true, activate: true });
  }
  getPath(name: string): string {
    if (name === 'logs') return this.world.logsDir;
    if (name === 'userData') return this.world.userDataDir;
    throw new Error(`electron stand-in: app.getPath('${name}') is not provided`);
  }
  /** As Electron: only once the app is ready (its docs say so; before, it answers nothing useful). */
  getLocale(): string {
    if (!this.world.isReady) throw new Error('electron stand-in: app.getLocale() before the app is ready (Electron answers it only after ready)');
    return this.world.osLocale;
  }
  getPreferredSystemLanguages(): string[] {
    return [...this.world.osLanguages];
  }
  getVersion(): string {
    return '9.8.7';
  }
  requestSingleInstanceLock(): boolean {
    return this.singleInstance;
  }
  whenReady(): Promise<void> {
    this.world.calls.push('app.whenReady');
    return this.world.ready;
  }
  /** As Electron: 'before-quit' (may be prevented), then 'will-quit' (may be prevented). */
  quit(): void {
    this.quitCalls++;
    const before = electronEvent();
    const at = this.beforeQuitPrevented.push(false) - 1; // in the order the quits began
    this.emit('before-quit', before);
    this.beforeQuitPrevented[at] = before.defaultPrevented;
    if (before.defaultPrevented) return;
    const will = electronEvent();
    this.emit('will-quit', will);
    if (!will.defaultPrevented) this.quitted = true;
  }
}

export interface StandInMenu {
  template: MenuItemConstructorOptions[];
}

/** The `electron` module as main sees it: only names Electron exports (checked below). */
export interface StandInModule {
  app: StandInApp;
  BrowserWindow: { new (options?: WindowOptions): StandInWindow; getAllWindows(...a: Parameters<typeof BrowserWindow.getAllWindows>): StandInWindow[] };
  dialog: Pick<Dialog, 'showOpenDialog' | 'showMessageBox' | 'showMessageBoxSync'>;
  ipcMain: Pick<IpcMain, 'handle'>;
  Menu: { buildFromTemplate(...a: Parameters<typeof Menu.buildFromTemplate>): StandInMenu; setApplicationMenu(menu: StandInMenu | null): void };
  Notification: { new (options?: NotificationConstructorOptions): Pick<Notification, 'show'>; isSupported: typeof Notification.isSupported };
  powerSaveBlocker: Pick<PowerSaveBlocker, 'start' | 'stop'>;
  protocol: Pick<Protocol, 'registerSchemesAsPrivileged' | 'handle'>;
  session: { readonly defaultSession: StandInSession };
  shell: Pick<Shell, 'openPath' | 'showItemInFolder'>;
}
export const MODULE_NAMES_ARE_ELECTRONS: Same<Exclude<keyof StandInModule, keyof typeof import('electron')>, never> = true;

/** A dialog call's arguments, with or without the parent window Electron's overloads allow. */
function withParent<O>(args: [BaseWindow, O] | [O]): { parent: BaseWindow | null; options: O } {
  return args.length === 2 ? { parent: args[0], options: args[1] } : { parent: null, options: args[0] };
}

/** One Electron "process": its state, what main did to it, and the module main gets. */
export class ElectronWorld {
  /** Everything main did that the order matters for, in order. */
  readonly calls: string[] = [];
  isReady = false;
  readonly ready: Promise<void>;
  private resolveReady: () => void = () => {};
  readonly app: StandInApp;
  readonly windows: StandInWindow[] = [];
  readonly schemes: CustomScheme[] = [];
  readonly protocolHandlers = new Map<string, ProtocolHandler>();
  readonly ipcHandlers = new Map<string, IpcHandler>();
  readonly session = new StandInSession();
  menu: StandInMenu | null = null;
  readonly notifications: NotificationConstructorOptions[] = [];
  readonly blockers = new Set<number>();
  readonly messageBoxes: Array<{ parent: BaseWindow | null; options: MessageBoxOptions | MessageBoxSyncOptions }> = [];
  /** The button the next showMessageBoxSync "clicks". */
  messageBoxChoice = 0;
  readonly openDialogs: Array<{ parent: BaseWindow | null; options: OpenDialogOptions }> = [];
  readonly openedPaths: string[] = [];
  readonly shownInFolder: string[] = [];
  notificationsSupported = true;
  /** What the OS says its language is: app.getLocale() and app.getPreferredSystemLanguages(). */
  osLocale = 'en-US';
  osLanguages: string[] = ['en-US'];
  readonly module: StandInModule;

  /** `userDataDir`: the app's data folder (settings.json); the logs folder unless given. */
  constructor(
    readonly logsDir: string,
    readonly userDataDir: string = logsDir,
  ) {
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
    this.app = strict('app', new StandInApp(this));
    this.module = strict('electron', this.createModule());
  }

  /** The app becomes ready (whenReady resolves); resolves once main's ready callbacks ran. */
  async becomeReady(): Promise<void> {
    this.isReady = true;
    this.calls.push('ready');
    this.resolveReady();
    await new Promise((r) => setImmediate(r));
  }

  openWindows(): StandInWindow[] {
    return this.windows.filter((w) => !w.destroyed);
  }

  private needsReady(what: string): void {
    if (!this.isReady) throw new Error(`electron stand-in: ${what} before the app is ready (Electron refuses it)`);
  }

  private createModule(): StandInModule {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the classes below are main's, not the world's
    const world = this;
    return {
      app: this.app,
      BrowserWindow: class extends StandInWindow {
        constructor(options?: WindowOptions) {
          world.needsReady('new BrowserWindow');
          super(world, options);
          world.calls.push('new BrowserWindow');
          const self = strict('BrowserWindow', this);
          world.windows.push(self);
          return self;
        }
        static getAllWindows(): StandInWindow[] {
          return world.openWindows();
        }
      },
      dialog: strict('dialog', {
        showOpenDialog: async (...args: [BaseWindow, OpenDialogOptions] | [OpenDialogOptions]) => {
          world.openDialogs.push(withParent(args));
          return { canceled: true, filePaths: [] };
        },
        showMessageBox: async (...args: [BaseWindow, MessageBoxOptions] | [MessageBoxOptions]) => {
          world.messageBoxes.push(withParent(args));
          return { response: 0, checkboxChecked: false };
        },
        showMessageBoxSync: (...args: [BaseWindow, MessageBoxSyncOptions] | [MessageBoxSyncOptions]) => {
          world.messageBoxes.push(withParent(args));
          return world.messageBoxChoice;
        },
      }),
      ipcMain: strict('ipcMain', {
        handle: (channel: string, listener: IpcHandler) => {
          if (world.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
          world.calls.push(`ipcMain.handle ${channel}`);
          world.ipcHandlers.set(channel, listener);
        },
      }),
      Menu: strict('Menu', {
        buildFromTemplate: (template: Parameters<typeof Menu.buildFromTemplate>[0]) => ({ template: template as MenuItemConstructorOptions[] }),
        setApplicationMenu: (menu: StandInMenu | null) => {
          world.calls.push('Menu.setApplicationMenu');
          world.menu = menu;
        },
      }),
      Notification: class {
        static isSupported(): boolean {
          return world.notificationsSupported;
        }
        constructor(private readonly options: NotificationConstructorOptions = {}) {}
        show(): void {
          world.notifications.push(this.options);
        }
      },
      powerSaveBlocker: strict('powerSaveBlocker', {
        start: (type: Parameters<PowerSaveBlocker['start']>[0]) => {
          world.calls.push(`powerSaveBlocker.start ${type}`);
          const id = world.blockers.size + 1;
          world.blockers.add(id);
          return id;
        },
        stop: (id: number) => world.blockers.delete(id),
      }),
      protocol: strict('protocol', {
        registerSchemesAsPrivileged: (schemes: CustomScheme[]) => {
          if (world.isReady) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
          world.calls.push('protocol.registerSchemesAsPrivileged');
          world.schemes.push(...schemes);
        },
        handle: (scheme: string, handler: ProtocolHandler) => {
          world.needsReady('protocol.handle');
          if (world.protocolHandlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
          world.calls.push(`protocol.handle ${scheme}`);
          world.protocolHandlers.set(scheme, handler);
        },
      }),
      session: strict('session', {
        get defaultSession() {
          world.needsReady('session.defaultSession');
          return strict('defaultSession', world.session);
        },
      }),
      shell: strict('shell', {
        openPath: async (path: string) => {
          world.openedPaths.push(path);
          return '';
        },
        showItemInFolder: (path: string) => void world.shownInFolder.push(path),
      }),
    };
  }
}
