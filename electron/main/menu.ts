/**
 * The application menu. Its commands go to the wizard as `menu:command` events (the renderer decides
 * what "Open Image…" means in the step it shows); Help opens the log and the About box.
 */
import { app, dialog, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../shared/contract.js';

export interface MenuDeps {
  /** Sends a command to the wizard. */
  command(cmd: MenuCommand): void;
  logPath: string;
}

export function menuTemplate(deps: MenuDeps, platform: NodeJS.Platform = process.platform): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const { command, logPath } = deps;
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open Image…', accelerator: 'CmdOrCtrl+O', click: () => command('open-image') },
        { label: 'Verify a Stick…', accelerator: 'CmdOrCtrl+Shift+V', click: () => command('verify-stick') },
        { label: 'Start Over', click: () => command('start-over') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { label: '&Edit', submenu: [{ role: 'copy' }, { role: 'selectAll' }] },
    {
      label: '&View',
      submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Open Log File', click: () => void shell.openPath(logPath) },
        { label: 'Show Log Folder', click: () => shell.showItemInFolder(logPath) },
        { type: 'separator' },
        {
          label: 'About SevenStick',
          click: () =>
            void dialog.showMessageBox({
              type: 'info',
              title: 'About SevenStick',
              message: `SevenStick ${app.getVersion()}`,
              detail: 'Turns a Windows 7 ISO into a USB stick that boots on BIOS and UEFI PCs, and verifies it by reading it back.',
            }),
        },
      ],
    },
  ];
}

export function installMenu(deps: MenuDeps): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(deps)));
}
