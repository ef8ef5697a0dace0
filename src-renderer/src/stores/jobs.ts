// The job list, kept live by job.update events.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api } from '../api/client';
import type { JobSnapshot, SubmitJob } from '../../../src-main/api/contract';

export const useJobsStore = defineStore('jobs', () => {
  const byId = ref<Record<string, JobSnapshot>>({});
  const lastError = ref<string | null>(null);
  let subscribed = false;

  const jobs = computed(() => Object.values(byId.value).sort((a, b) => b.createdAt - a.createdAt));
  const active = computed(() => jobs.value.filter((j) => j.status === 'running' || j.status === 'queued'));

  function upsert(s: JobSnapshot): void {
    const cur = byId.value[s.id];
    // Events can overtake a slower response: never move a finished job back.
    if (cur && cur.finishedAt !== null && s.finishedAt === null) return;
    byId.value[s.id] = s;
  }

  async function init(): Promise<void> {
    if (!subscribed) {
      api.on('job.update', upsert);
      subscribed = true;
    }
    (await api.invoke('jobs.list', {})).forEach(upsert);
  }

  async function submit(req: SubmitJob): Promise<JobSnapshot | null> {
    try {
      const snap = await api.invoke('jobs.submit', req);
      upsert(snap);
      lastError.value = null;
      return snap;
    } catch (e) {
      lastError.value = (e as Error).message;
      return null;
    }
  }

  async function cancel(id: string): Promise<void> {
    try {
      upsert(await api.invoke('jobs.cancel', { id }));
    } catch (e) {
      lastError.value = (e as Error).message;
    }
  }

  return { byId, jobs, active, lastError, init, submit, cancel };
});
