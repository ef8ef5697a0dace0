// One job a card submits and follows: its live snapshot, whether it is still running, the
// submit error, and a callback when it succeeds. Shared by the Bias screen's cards.
import { computed, ref, watch } from 'vue';
import { useJobsStore } from '../stores/jobs';
import type { JobSnapshot, SubmitJob } from '../../../src-main/api/contract';

export function useJobRun(onSucceeded: (job: JobSnapshot) => void) {
  const jobs = useJobsStore();
  const jobId = ref<string | null>(null);
  const error = ref<string | null>(null);
  const job = computed(() => (jobId.value ? jobs.byId[jobId.value] : null));
  const busy = computed(() => job.value?.status === 'running' || job.value?.status === 'queued');
  watch(
    () => job.value?.status,
    (s) => {
      if (s === 'succeeded') onSucceeded(job.value!);
    },
  );
  async function submit(req: SubmitJob): Promise<void> {
    const snap = await jobs.submit(req);
    jobId.value = snap?.id ?? null;
    error.value = snap ? null : jobs.lastError;
  }
  const cancel = (): Promise<void> => (jobId.value ? jobs.cancel(jobId.value) : Promise.resolve());
  return { job, busy, error, submit, cancel };
}

/** The attribute to preselect: `preferred` when the data set has it, else its first attribute. */
export function defaultAttribute(attributes: string[], preferred: string): string {
  return attributes.includes(preferred) || !attributes.length ? preferred : attributes[0];
}
