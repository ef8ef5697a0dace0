// The engine calls of the Causal queries view (requests already validated by the contract).
import type { ApiRequest, ApiResponse } from '../../../api/contract';
import { requireProject } from '../../session';
import { answerQuery, listBatches, viewBatch } from './query-store';

type Call<M extends 'causalQueries.list' | 'causalQueries.batch' | 'causalQueries.answer'> = (args: Required<ApiRequest<M>>) => Promise<ApiResponse<M>>;

export const causalQueryCalls: { 'causalQueries.list': Call<'causalQueries.list'>; 'causalQueries.batch': Call<'causalQueries.batch'>; 'causalQueries.answer': Call<'causalQueries.answer'> } = {
  'causalQueries.list': async () => listBatches(requireProject()),
  'causalQueries.batch': async ({ batchId }) => viewBatch(requireProject(), batchId),
  'causalQueries.answer': async ({ batchId, query, answer }) => answerQuery(requireProject(), batchId, query, answer),
};
