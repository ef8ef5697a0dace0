// Electron transport: one ipcMain handler per API method; sender frame checked, payload
// validated by dispatch(). Events go to every window with webContents.send.
import { BrowserWindow, ipcMain } from 'electron';
import { API_EVENTS, API_METHODS, ipcChannel, ipcEventChannel } from '../api/channels';
import { dispatch, type ApiHandlers } from '../api/dispatch';
import type { EngineHost } from '../engine/host';
import { isTrustedSender } from './security';

export function registerIpc(handlers: ApiHandlers, host: EngineHost): void {
  for (const method of API_METHODS) {
    ipcMain.handle(ipcChannel(method), (event, payload: unknown) => {
      if (!isTrustedSender(event.senderFrame?.url)) {
        return { ok: false, error: { code: 'invalid_request', message: 'Untrusted sender' } };
      }
      return dispatch(handlers, method, payload);
    });
  }
  for (const name of API_EVENTS) {
    host.on(name, (payload) => {
      for (const win of BrowserWindow.getAllWindows()) win.webContents.send(ipcEventChannel(name), payload);
    });
  }
}
