// The open project's image set: item pages and thumbnails, fetched on demand and cached.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../api/client';
import type { DatasetItem } from '../../../src-main/api/contract';

const PAGE = 200;

export const useDatasetStore = defineStore('dataset', () => {
  const total = ref(0);
  const items = ref<Record<number, DatasetItem>>({});
  const thumbs = ref<Record<number, string>>({});
  const error = ref<string | null>(null);
  const pending = new Set<number>();
  const pendingThumbs = new Set<number>();
  let hash = '';

  /** Clears caches when the project's image set changed. */
  function reset(contentHash: string): void {
    if (contentHash === hash) return;
    hash = contentHash;
    items.value = {};
    thumbs.value = {};
    total.value = 0;
  }

  async function loadPage(page: number): Promise<void> {
    if (pending.has(page)) return;
    pending.add(page);
    try {
      const r = await api.invoke('dataset.items', { offset: page * PAGE, limit: PAGE });
      total.value = r.total;
      r.items.forEach((it, k) => (items.value[page * PAGE + k] = it));
    } catch (e) {
      error.value = (e as Error).message;
      pending.delete(page);
    }
  }

  /** Ensures metadata and thumbnails for positions [from, to) are loaded. */
  async function ensure(from: number, to: number): Promise<void> {
    for (let p = Math.floor(from / PAGE); p <= Math.floor(Math.max(from, to - 1) / PAGE); p++) await loadPage(p);
    const want: number[] = [];
    for (let i = from; i < Math.min(to, total.value); i++) {
      const idx = items.value[i]?.index;
      if (idx !== undefined && !thumbs.value[idx] && !pendingThumbs.has(idx)) want.push(idx);
    }
    if (!want.length) return;
    want.forEach((i) => pendingThumbs.add(i));
    try {
      const urls = await api.invoke('dataset.thumbnails', { indices: want.slice(0, 200) });
      urls.forEach((u, k) => (thumbs.value[want[k]] = u));
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      want.forEach((i) => pendingThumbs.delete(i));
    }
  }

  return { total, items, thumbs, error, reset, ensure, loadPage };
});
