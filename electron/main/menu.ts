/**
 * The application menu, in the user's language (`tr`; main builds it again when the language
 * changes). Its commands go to the wizard as `menu:command` events (the renderer decides what "Open
 * Image…" means in the step it shows); Help opens the log and the About box. Items with a role keep
 * Electron's behaviour but get our label: Electron would label them in English whatever the language.
 */
import { app, dialog, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../shared/contract.js';
import type { Translator } from '../shared/i18n/translator.js';
import { APP_NAME } from './window.js';

export interface MenuDeps {
  /** Sends a command to the wizard. */
  command(cmd: MenuCommand): void;
  logPath: string;
  tr: Translator;
}

const separator: MenuItemConstructorOptions = { type: 'separator' };

export function menuTemplate(deps: MenuDeps, platform: NodeJS.Platform = process.platform): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const { command, logPath, tr } = deps;
  const app_ = { app: APP_NAME };
  const quit: MenuItemConstructorOptions = { role: 'quit', label: platform === 'win32' ? tr.t('main.menu.exit') : tr.t('main.menu.quit') };
  return [
    ...(isMac
      ? [
          {
            role: 'appMenu' as const,
            label: APP_NAME,
            submenu: [
              { role: 'about' as const, label: tr.t('main.menu.about', app_) },
              separator,
              { role: 'services' as const, label: tr.t('main.menu.services') },
              separator,
              { role: 'hide' as const, label: tr.t('main.menu.hide', app_) },
              { role: 'hideOthers' as const, label: tr.t('main.menu.hideOthers') },
              { role: 'unhide' as const, label: tr.t('main.menu.showAll') },
              separator,
              { role: 'quit' as const, label: tr.t('main.menu.quitApp', app_) },
            ],
          },
        ]
      : []),
    {
      label: tr.t('main.menu.file'),
      submenu: [
        { label: tr.t('main.menu.openImage'), accelerator: 'CmdOrCtrl+O', click: () => command('open-image') },
        { label: tr.t('main.menu.verifyStick'), accelerator: 'CmdOrCtrl+Shift+V', click: () => command('verify-stick') },
        { label: tr.t('main.menu.startOver'), click: () => command('start-over') },
        separator,
        isMac ? { role: 'close', label: tr.t('main.menu.closeWindow') } : quit,
      ],
    },
    {
      label: tr.t('main.menu.edit'),
      submenu: [
        { role: 'copy', label: tr.t('main.menu.copy') },
        { role: 'selectAll', label: tr.t('main.menu.selectAll') },
      ],
    },
    {
      label: tr.t('main.menu.view'),
      submenu: [
        { role: 'resetZoom', label: tr.t('main.menu.actualSize') },
        { role: 'zoomIn', label: tr.t('main.menu.zoomIn') },
        { role: 'zoomOut', label: tr.t('main.menu.zoomOut') },
        separator,
        { role: 'togglefullscreen', label: tr.t('main.menu.fullScreen') },
      ],
    },
    {
      role: 'windowMenu',
      label: tr.t('main.menu.window'),
      // Electron's own items for this menu, labelled by us.
      submenu: isMac
        ? [
            { role: 'minimize', label: tr.t('main.menu.minimize') },
            { role: 'zoom', label: tr.t('main.menu.zoom') },
            separator,
            { role: 'front', label: tr.t('main.menu.bringAllToFront') },
          ]
        : [
            { role: 'minimize', label: tr.t('main.menu.minimize') },
            { role: 'close', label: tr.t('main.menu.close') },
          ],
    },
    {
      role: 'help',
      label: tr.t('main.menu.help'),
      submenu: [
        { label: tr.t('main.menu.openLog'), click: () => void shell.openPath(logPath) },
        { label: tr.t('main.menu.showLogFolder'), click: () => shell.showItemInFolder(logPath) },
        separator,
        {
          label: tr.t('main.menu.about', app_),
          click: () =>
            void dialog.showMessageBox({
              type: 'info',
              title: tr.t('main.menu.about', app_),
              message: tr.t('main.about.message', { ...app_, version: app.getVersion() }),
              detail: tr.t('main.about.detail'),
            }),
        },
      ],
    },
  ];
}

/** Sets the application menu (again, after the language changed). */
export function installMenu(deps: MenuDeps): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(deps)));
}
