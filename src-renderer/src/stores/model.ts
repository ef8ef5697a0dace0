// The project's model under audit and its saved evaluations.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../api/client';
import type { EvaluationResult, ModelInfo } from '../../../src-main/api/contract';

export const useModelStore = defineStore('model', () => {
  const info = ref<ModelInfo | null>(null);
  const evaluation = ref<EvaluationResult | null>(null);
  const error = ref<string | null>(null);
  const busy = ref(false);

  async function guard(fn: () => Promise<void>): Promise<void> {
    busy.value = true;
    error.value = null;
    try {
      await fn();
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      busy.value = false;
    }
  }

  const refresh = (split: 'train' | 'val' | 'test' = 'test'): Promise<void> =>
    guard(async () => {
      info.value = await api.invoke('model.current', {});
      evaluation.value = info.value ? await api.invoke('model.evaluation', { split }) : null;
    });

  const attach = (dir: string): Promise<void> =>
    guard(async () => {
      info.value = await api.invoke('model.attach', { dir });
      evaluation.value = null;
    });

  const attachDemo = (which: 'pneumonia' | 'shortcut'): Promise<void> =>
    guard(async () => {
      info.value = await api.invoke('model.attachDemo', { which });
      evaluation.value = null;
    });

  const attachTrained = (name: string): Promise<void> =>
    guard(async () => {
      info.value = await api.invoke('model.attachTrained', { name });
      evaluation.value = null;
    });

  return { info, evaluation, error, busy, refresh, attach, attachDemo, attachTrained };
});
