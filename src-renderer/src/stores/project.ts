// The open project: create, open, recent, demo; restored on start (the engine keeps it open).
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../api/client';
import type { ProjectInfo } from '../../../src-main/api/contract';

export interface RecentProject {
  dir: string;
  name: string;
  openedAt: string;
}

export const useProjectStore = defineStore('project', () => {
  const current = ref<ProjectInfo | null>(null);
  const recent = ref<RecentProject[]>([]);
  const busy = ref(false);
  const error = ref<string | null>(null);

  async function guard<T>(fn: () => Promise<T>): Promise<T | null> {
    busy.value = true;
    error.value = null;
    try {
      return await fn();
    } catch (e) {
      error.value = (e as Error).message;
      return null;
    } finally {
      busy.value = false;
    }
  }

  async function refresh(): Promise<void> {
    await guard(async () => {
      [current.value, recent.value] = await Promise.all([api.invoke('projects.current', {}), api.invoke('projects.recent', {})]);
    });
  }

  async function open(dir: string): Promise<boolean> {
    const p = await guard(() => api.invoke('projects.open', { dir }));
    if (p) current.value = p;
    void refreshRecent();
    return p !== null;
  }

  async function create(dir: string, name: string, keepIdentifiers: boolean): Promise<boolean> {
    const p = await guard(() => api.invoke('projects.create', { dir, name, keepIdentifiers }));
    if (p) current.value = p;
    void refreshRecent();
    return p !== null;
  }

  async function openDemo(): Promise<boolean> {
    const p = await guard(() => api.invoke('projects.openDemo', {}));
    if (p) current.value = p;
    void refreshRecent();
    return p !== null;
  }

  async function refreshRecent(): Promise<void> {
    recent.value = await api.invoke('projects.recent', {}).catch(() => recent.value);
  }

  return { current, recent, busy, error, refresh, open, create, openDemo };
});
