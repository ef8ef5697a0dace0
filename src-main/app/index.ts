// Electron main process: one window, the app:// protocol, IPC, and the engine worker.
import { app, BrowserWindow, Menu, session, shell } from 'electron';
import * as path from 'node:path';
import { EngineHost } from '../engine/host';
import { spawnWorkerThread } from '../engine/spawn';
import { createHandlers } from '../api/handlers';
import { handleAppProtocol, registerAppSchemeAsPrivileged } from './protocol';
import { registerIpc } from './ipc';
import { printReportPdf } from './pdf';
import { mainWindowOptions } from './window-options';
import { APP_ORIGIN, isAllowedExternalUrl, isAllowedNavigation } from './security';

registerAppSchemeAsPrivileged();

const engine = new EngineHost({ spawn: () => spawnWorkerThread(__dirname) });

function hardenWebContents(): void {
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (!isAllowedNavigation(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAllowedNavigation(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

function createWindow(): void {
  const win = new BrowserWindow(mainWindowOptions(path.join(__dirname, '../preload/index.js')));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
}

hardenWebContents();

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  handleAppProtocol(path.join(__dirname, '../renderer'));
  const handlers = createHandlers(engine, 'ipc');
  handlers['report.printPdf'] = ({ reportId }) => printReportPdf(engine, reportId);
  registerIpc(handlers, engine);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );
  void engine.start();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  void engine.close().finally(() => app.quit());
});
