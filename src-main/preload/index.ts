// Sandboxed preload: exposes the API contract's methods and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { buildExposedApi } from './api';

contextBridge.exposeInMainWorld('xrayAudit', buildExposedApi(ipcRenderer));
