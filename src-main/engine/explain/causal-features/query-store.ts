// Causal-query batches in the project: the batch (images, classes, scripted truth) is a blob;
// the auditor's answers live in the batch's manifest artefact and change only through
// ProjectStore.update, whose saves are atomic and serialised: each answer is applied to the
// latest manifest, so answers given in quick succession are never lost.
import type { ProjectManifest } from '../../project/manifest';
import type { ProjectStore } from '../../project/store';
import { EngineError } from '../../jobs/errors';
import {
  SavedAnswersSchema,
  StoredBatchSchema,
  type CausalAnswer,
  type CausalQueryBatch,
  type CausalQueryBatchSummary,
  type SavedAnswer,
  type StoredBatch,
} from '../../../api/schemas/causal-queries';

export const QUERY_ARTEFACT_KIND = 'causal-queries';
const key = (batchId: string): string => `causal-queries-${batchId}`;

type Artefact = ProjectManifest['artefacts'][string];

function answersOf(a: Artefact): Record<string, SavedAnswer> {
  const parsed = SavedAnswersSchema.safeParse(a.meta.answers ?? {});
  return parsed.success ? parsed.data : {};
}

function artefactOf(m: Readonly<ProjectManifest>, batchId: string): Artefact {
  const a = m.artefacts[key(batchId)];
  if (!a || a.kind !== QUERY_ARTEFACT_KIND || !a.blob) throw new EngineError('not_found', `No causal-query batch '${batchId}' in this project`);
  return a;
}

export async function saveBatch(store: ProjectStore, batch: StoredBatch): Promise<void> {
  const blob = await store.writeBlob(Buffer.from(JSON.stringify(StoredBatchSchema.parse(batch))), 'json');
  await store.update((m) => {
    m.artefacts[key(batch.batchId)] = {
      kind: QUERY_ARTEFACT_KIND,
      blob,
      meta: { batchId: batch.batchId, experiment: batch.experiment, count: batch.queries.length, createdAt: batch.createdAt, answers: {} },
    };
  });
}

export function listBatches(store: ProjectStore): CausalQueryBatchSummary[] {
  return Object.values(store.manifest.artefacts)
    .filter((a) => a.kind === QUERY_ARTEFACT_KIND && a.blob)
    .map((a) => ({
      batchId: String(a.meta.batchId),
      experiment: a.meta.experiment as CausalQueryBatchSummary['experiment'],
      count: Number(a.meta.count),
      answered: Object.keys(answersOf(a)).length,
      createdAt: String(a.meta.createdAt),
    }))
    .sort((x, y) => y.createdAt.localeCompare(x.createdAt));
}

/** The stored batch and its answers (by query index). */
export async function readStoredBatch(store: ProjectStore, batchId: string): Promise<{ batch: StoredBatch; answers: Record<string, SavedAnswer> }> {
  const a = artefactOf(store.manifest, batchId);
  const batch = StoredBatchSchema.parse(JSON.parse((await store.readBlob(a.blob!)).toString('utf8')));
  return { batch, answers: answersOf(a) };
}

/** Every batch of the project with its answers (for the report and the verdict job). */
export async function readAllBatches(store: ProjectStore): Promise<{ batch: StoredBatch; answers: Record<string, SavedAnswer> }[]> {
  return Promise.all(listBatches(store).map((s) => readStoredBatch(store, s.batchId)));
}

/** The batch as the view sees it (no scripted truth, no raw pixels). */
export async function viewBatch(store: ProjectStore, batchId: string): Promise<CausalQueryBatch> {
  const { batch, answers } = await readStoredBatch(store, batchId);
  return {
    batchId: batch.batchId,
    experiment: batch.experiment,
    question: batch.question,
    feature: batch.feature,
    createdAt: batch.createdAt,
    answered: Object.keys(answers).length,
    queries: batch.queries.map((q) => ({
      index: q.index,
      original: q.original,
      manipulated: q.manipulated,
      fromClass: q.fromClass,
      targetClass: q.targetClass,
      answer: answers[q.index]?.answer ?? null,
      seq: answers[q.index]?.seq ?? null,
    })),
  };
}

/** Saves (or, with 'undo', removes) the answer to one query; atomic, applied to the latest manifest. */
export async function answerQuery(
  store: ProjectStore,
  batchId: string,
  query: number,
  answer: CausalAnswer | 'undo',
): Promise<{ query: number; answer: CausalAnswer | null; seq: number | null; answered: number; count: number }> {
  const count = Number(artefactOf(store.manifest, batchId).meta.count);
  if (!Number.isInteger(query) || query < 0 || query >= count) throw new EngineError('invalid_request', `query ${query} is not in batch '${batchId}' (0..${count - 1})`);
  let saved: SavedAnswer | null = null;
  let answered = 0;
  await store.update((m) => {
    const a = artefactOf(m, batchId);
    const answers = answersOf(a);
    if (answer === 'undo') delete answers[query];
    else {
      const seq = Math.max(0, ...Object.values(answers).map((s) => s.seq)) + 1;
      saved = answers[query] = { answer, seq, at: new Date().toISOString() };
    }
    a.meta = { ...a.meta, answers };
    answered = Object.keys(answers).length;
  });
  const s = saved as SavedAnswer | null;
  return { query, answer: s?.answer ?? null, seq: s?.seq ?? null, answered, count };
}
