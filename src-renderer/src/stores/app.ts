// App-wide facts: version, transport and the compute backend.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../api/client';
import type { AppInfo } from '../../../src-main/api/contract';

export const useAppStore = defineStore('app', () => {
  const info = ref<AppInfo | null>(null);
  const error = ref<string | null>(null);

  async function load(): Promise<void> {
    try {
      info.value = await api.invoke('app.info', {});
      error.value = null;
    } catch (e) {
      error.value = (e as Error).message;
    }
  }

  return { info, error, load };
});
