// The single API contract between the renderer and the main process: one zod schema per
// request, response and event. Both transports (Electron IPC and the 127.0.0.1 HTTP server)
// validate against these, and the renderer's client is typed from them.
import { z } from 'zod';
import type { ApiEvent, ApiMethod } from './channels';
import type { BinaryEvaluation } from '../engine/metrics/evaluate';
import type { SubgroupAudit } from '../engine/metrics/subgroups';
import { TrainClassifierParamsSchema } from './schemas/training';
import { ExaggerationMetricsParamsSchema, GenerateSeriesParamsSchema, TrainExplainerParamsSchema } from './schemas/exaggeration';
import { InvarianceAnalysisParamsSchema, InvarianceTrainParamsSchema } from './schemas/invariance';
import { InvarianceAnalysisRequestSchema, InvarianceAnalysisResultSchema, InvarianceSavedSchema } from './schemas/invariance-saved';
import { CausalFactorsLatestRequestSchema, SavedCausalFactorsSchema } from './schemas/causal-factors-saved';
import { SALIENCY_METHOD_IDS, SaliencyParamsSchema } from './schemas/saliency';
import { CausalFactorsParamsSchema } from './schemas/causal-factors';
import { CausalFeaturesParamsSchema } from './schemas/causal-features';
import { ConfounderSaliencyParamsSchema, ConfounderSaliencyResultSchema } from './schemas/confounder';
import { CausalQueriesParamsSchema, CausalQueriesVerdictParamsSchema, CausalQueryApiSchemas } from './schemas/causal-queries';

export const JobKindSchema = z.enum(['selftest', 'import-dataset', 'evaluate-model', 'train-classifier', 'export-report', 'causal-features', 'causal-factors', 'saliency', 'invariance-train', 'invariance-analysis', 'train-explainer', 'exaggeration-series', 'exaggeration-metrics', 'causal-queries', 'causal-queries-verdict', 'confounder-saliency']);
export type JobKind = z.infer<typeof JobKindSchema>;

/** Parameters of each job kind. */
export const JobParamsSchemas = {
  selftest: z
    .object({
      /** Optimisation steps of the self-test regression. */
      steps: z.number().int().min(1).max(100_000).default(200),
      /** Pause between steps, so that progress is visible and cancel can be tried. */
      stepDelayMs: z.number().int().min(0).max(10_000).default(10),
      /** Make the job fail at this step (exercises the error path). */
      failAtStep: z.number().int().min(0).optional(),
    })
    .strict(),
  'import-dataset': z
    .object({
      source: z.object({
        kind: z.enum(['npz', 'folder', 'manifest']),
        /** A path on the machine running the engine. */
        path: z.string().min(1).max(4096),
      }),
      /** Side of the square model-input images stored in the project. */
      size: z.number().int().min(16).max(512).optional(),
      name: z.string().min(1).max(200).optional(),
    })
    .strict(),
  'evaluate-model': z
    .object({
      split: z.enum(['train', 'val', 'test']).default('test'),
      threshold: z.number().min(0).max(1).default(0.5),
      /** Bootstrap resamples for the 95% intervals. */
      bootstrap: z.number().int().min(0).max(10_000).default(1000),
      minGroupSize: z.number().int().min(1).max(10_000).default(30),
      seed: z.number().int().default(1),
    })
    .strict(),
  'train-classifier': TrainClassifierParamsSchema,
  'export-report': z
    .object({
      split: z.enum(['train', 'val', 'test']).default('test'),
      casesPerKind: z.number().int().min(0).max(10).default(2),
      /** Saliency maps drawn beside each selected case (positive class, papers' defaults). */
      saliency: z.array(z.enum(SALIENCY_METHOD_IDS)).max(4).default(['grad-cam', 'integrated-gradients']),
      /** 'chromium': print the PDF in the engine; 'none': the desktop app prints it with Electron. */
      pdf: z.enum(['chromium', 'none']).default('chromium'),
    })
    .strict(),
  'causal-features': CausalFeaturesParamsSchema,
  'confounder-saliency': ConfounderSaliencyParamsSchema,
  'causal-queries': CausalQueriesParamsSchema,
  'causal-queries-verdict': CausalQueriesVerdictParamsSchema,
  'causal-factors': CausalFactorsParamsSchema,
  'saliency': SaliencyParamsSchema,
  'invariance-train': InvarianceTrainParamsSchema,
  'invariance-analysis': InvarianceAnalysisParamsSchema,
  'train-explainer': TrainExplainerParamsSchema,
  'exaggeration-series': GenerateSeriesParamsSchema,
  'exaggeration-metrics': ExaggerationMetricsParamsSchema,
} satisfies Record<JobKind, z.ZodType>;

export const JobStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatusSchema>;

export const JobProgressSchema = z.object({
  stage: z.string(),
  fraction: z.number().min(0).max(1),
  etaSeconds: z.number().nullable(),
  metrics: z.record(z.string(), z.number()),
});
export type JobProgress = z.infer<typeof JobProgressSchema>;

export const EngineErrorSchema = z.object({
  code: z.enum(['invalid_request', 'not_found', 'cancelled', 'bad_input', 'engine_crashed', 'internal']),
  message: z.string(),
  details: z.string().optional(),
});
export type EngineErrorInfo = z.infer<typeof EngineErrorSchema>;

export const JobSnapshotSchema = z.object({
  id: z.string(),
  kind: JobKindSchema,
  title: z.string(),
  status: JobStatusSchema,
  progress: JobProgressSchema,
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  error: EngineErrorSchema.nullable(),
  result: z.unknown().optional(),
});
export type JobSnapshot = z.infer<typeof JobSnapshotSchema>;

export const BackendInfoSchema = z.object({
  name: z.enum(['tensorflow', 'wasm', 'cpu']),
  reason: z.string(),
  threads: z.number(),
  tfjsVersion: z.string(),
});

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  transport: z.enum(['ipc', 'http', 'cli']),
  backend: BackendInfoSchema,
  platform: z.string(),
  node: z.string(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const DatasetInfoSchema = z.object({
  name: z.string(),
  source: z.object({ kind: z.string(), description: z.string() }),
  size: z.number(),
  count: z.number(),
  classNames: z.array(z.string()),
  positiveClass: z.number(),
  contentHash: z.string(),
  perClass: z.record(z.string(), z.number()),
  perSplit: z.record(z.string(), z.number()),
  perAttribute: z.record(z.string(), z.record(z.string(), z.number())),
  importReport: z.object({ imported: z.number(), skipped: z.array(z.object({ file: z.string(), reason: z.string() })) }).optional(),
});
export type DatasetInfo = z.infer<typeof DatasetInfoSchema>;

export const ProjectInfoSchema = z.object({
  dir: z.string(),
  id: z.string(),
  name: z.string(),
  revision: z.number(),
  updatedAt: z.string(),
  keepIdentifiers: z.boolean(),
  dataset: DatasetInfoSchema.nullable(),
});
export type ProjectInfo = z.infer<typeof ProjectInfoSchema>;

export const RecentProjectSchema = z.object({ dir: z.string(), name: z.string(), openedAt: z.string() });

export const DatasetItemSchema = z.object({
  index: z.number(),
  id: z.string(),
  label: z.string(),
  split: z.string(),
  attributes: z.record(z.string(), z.string().nullable()),
});
export type DatasetItem = z.infer<typeof DatasetItemSchema>;

const PathString = z.string().min(1).max(4096);
const ReportId = z.string().regex(/^[0-9TZ-]{10,40}$/);

export const ModelInfoSchema = z.object({
  name: z.string(),
  hash: z.string(),
  inputSize: z.number(),
  channels: z.number(),
  classNames: z.array(z.string()),
  positiveClass: z.number(),
  kind: z.enum(['layers', 'graph']),
  hasLayers: z.boolean(),
  layerNames: z.array(z.string()),
  provenance: z.record(z.string(), z.unknown()),
  card: z.record(z.string(), z.unknown()).nullable(),
  attachedAt: z.string(),
});
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

/** A saved evaluation (metrics objects are produced by engine/metrics and passed through). */
export interface EvaluationResult {
  split: 'train' | 'val' | 'test';
  modelHash: string | null;
  datasetHash: string | null;
  positiveClass: string;
  evaluation: BinaryEvaluation;
  subgroups: SubgroupAudit | null;
  evaluatedAt: string;
}
export const EvaluationResultSchema = z.custom<EvaluationResult>(
  (v) => typeof v === 'object' && v !== null && 'evaluation' in v && 'split' in v,
  'not an evaluation result',
);

export const ImageViewSchema = z.object({
  file: z.string(),
  width: z.number(),
  height: z.number(),
  numberOfFrames: z.number(),
  frame: z.number(),
  photometricInterpretation: z.string(),
  window: z.object({ center: z.number(), width: z.number() }).nullable(),
  defaultWindow: z.object({ center: z.number(), width: z.number() }).nullable(),
  header: z.record(z.string(), z.unknown()),
  warnings: z.array(z.string()),
  png: z.string(),
});
export type ImageView = z.infer<typeof ImageViewSchema>;

const IntervalSchema = z.object({ value: z.number().nullable(), lo: z.number().nullable(), hi: z.number().nullable() });
/** One explainer's saved confounding metric and series strips per subgroup (Bias screen). */
export const BiasExaggerationSchema = z.object({
  explainer: z.string(),
  calibrated: z.boolean(),
  split: z.string(),
  queries: z.number(),
  bins: z.number(),
  evaluatedAt: z.string(),
  confounding: z
    .object({
      attribute: z.string(),
      positive: z.string(),
      oracleValAuc: z.number().nullable(),
      low: z.object({ changed: IntervalSchema, present: z.number() }),
      high: z.object({ changed: IntervalSchema, present: z.number() }),
      overall: IntervalSchema,
    })
    .nullable(),
  strips: z.array(z.object({ attribute: z.string(), group: z.string(), png: z.string(), fQuery: z.array(z.number()), f: z.array(z.array(z.number())), oracle: z.array(z.array(z.boolean())).optional() })),
});
export type BiasExaggeration = z.infer<typeof BiasExaggerationSchema>;

export const ExplainerInfoSchema = z.object({
  name: z.string(),
  /** 'project': trained into (or installed in) the project; 'shipped': in models/, installed on first use. */
  source: z.enum(['project', 'shipped']),
  classifierHash: z.string().nullable(),
  /** Whether it explains the project's current classifier (only those can be used). */
  matches: z.boolean(),
  bins: z.number(),
  imageSize: z.number(),
  steps: z.number(),
});
export type ExplainerInfo = z.infer<typeof ExplainerInfoSchema>;

const Id = z.object({ id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/) }).strict();
const Empty = z.object({}).strict();

export const SubmitJobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('selftest'), params: JobParamsSchemas.selftest }).strict(),
  z.object({ kind: z.literal('import-dataset'), params: JobParamsSchemas['import-dataset'] }).strict(),
  z.object({ kind: z.literal('evaluate-model'), params: JobParamsSchemas['evaluate-model'] }).strict(),
  z.object({ kind: z.literal('train-classifier'), params: JobParamsSchemas['train-classifier'] }).strict(),
  z.object({ kind: z.literal('export-report'), params: JobParamsSchemas['export-report'] }).strict(),
  z.object({ kind: z.literal('exaggeration-metrics'), params: JobParamsSchemas['exaggeration-metrics'] }).strict(),
  z.object({ kind: z.literal('exaggeration-series'), params: JobParamsSchemas['exaggeration-series'] }).strict(),
  z.object({ kind: z.literal('train-explainer'), params: JobParamsSchemas['train-explainer'] }).strict(),
  z.object({ kind: z.literal('invariance-analysis'), params: JobParamsSchemas['invariance-analysis'] }).strict(),
  z.object({ kind: z.literal('invariance-train'), params: JobParamsSchemas['invariance-train'] }).strict(),
  z.object({ kind: z.literal('saliency'), params: JobParamsSchemas['saliency'] }).strict(),
  z.object({ kind: z.literal('causal-factors'), params: JobParamsSchemas['causal-factors'] }).strict(),
  z.object({ kind: z.literal('causal-features'), params: JobParamsSchemas['causal-features'] }).strict(),
  z.object({ kind: z.literal('confounder-saliency'), params: JobParamsSchemas['confounder-saliency'] }).strict(),
  z.object({ kind: z.literal('causal-queries'), params: JobParamsSchemas['causal-queries'] }).strict(),
  z.object({ kind: z.literal('causal-queries-verdict'), params: JobParamsSchemas['causal-queries-verdict'] }).strict(),
]);
export type SubmitJob = z.input<typeof SubmitJobSchema>;

/** Every request the renderer may make, with its response. */
export const ApiSchemas = {
  'app.info': { request: Empty, response: AppInfoSchema },
  'jobs.submit': { request: SubmitJobSchema, response: JobSnapshotSchema },
  'jobs.cancel': { request: Id, response: JobSnapshotSchema },
  'jobs.list': { request: Empty, response: z.array(JobSnapshotSchema) },
  'jobs.get': { request: Id, response: JobSnapshotSchema },
  'projects.recent': { request: Empty, response: z.array(RecentProjectSchema) },
  'projects.current': { request: Empty, response: ProjectInfoSchema.nullable() },
  'projects.create': {
    request: z.object({ dir: PathString, name: z.string().min(1).max(200), keepIdentifiers: z.boolean().default(false) }).strict(),
    response: ProjectInfoSchema,
  },
  'projects.open': { request: z.object({ dir: PathString }).strict(), response: ProjectInfoSchema },
  'projects.openDemo': { request: Empty, response: ProjectInfoSchema },
  'dataset.items': {
    request: z
      .object({
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
        split: z.enum(['train', 'val', 'test']).optional(),
      })
      .strict(),
    response: z.object({ total: z.number(), items: z.array(DatasetItemSchema) }),
  },
  'image.view': {
    request: z
      .object({
        path: PathString,
        frame: z.number().int().min(0).optional(),
        windowCenter: z.number().finite().optional(),
        windowWidth: z.number().finite().positive().optional(),
        invert: z.boolean().optional(),
      })
      .strict(),
    response: ImageViewSchema,
  },
  'model.current': { request: Empty, response: ModelInfoSchema.nullable() },
  'model.attach': { request: z.object({ dir: PathString }).strict(), response: ModelInfoSchema },
  'model.attachDemo': { request: z.object({ which: z.enum(['pneumonia', 'shortcut']) }).strict(), response: ModelInfoSchema },
  'model.attachTrained': { request: z.object({ name: z.string().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/) }).strict(), response: ModelInfoSchema },
  /** Saved exaggeration quality results for the current model with their confounding metric and subgroup strips. */
  'bias.exaggeration': { request: Empty, response: z.array(BiasExaggerationSchema) },
  /** The newest saved causal-features experiment (seed 001) of the project, or null. */
  'causalFeatures.latest': { request: Empty, response: z.record(z.string(), z.unknown()).nullable() },
  /** The latest saliency-mass-on-confounder result for the current model, or null. */
  'bias.confounderSaliency': { request: Empty, response: ConfounderSaliencyResultSchema.nullable() },
  'model.evaluation': {
    request: z.object({ split: z.enum(['train', 'val', 'test']) }).strict(),
    response: EvaluationResultSchema.nullable(),
  },
  'report.list': {
    request: Empty,
    response: z.array(z.object({ reportId: z.string(), files: z.array(z.string()), findings: z.array(z.string()) })),
  },
  'report.file': {
    request: z.object({ reportId: ReportId, file: z.enum(['report.html', 'report.pdf', 'report.json']) }).strict(),
    response: z.object({ name: z.string(), mime: z.string(), base64: z.string() }),
  },
  'report.printPdf': { request: z.object({ reportId: ReportId }).strict(), response: z.object({ file: z.string() }) },
  'dataset.previewImport': {
    request: z.object({ kind: z.enum(['folder', 'manifest']), path: PathString }).strict(),
    response: z.object({
      files: z.number(),
      perLabel: z.record(z.string(), z.number()),
      attributes: z.array(z.string()),
      hasSplit: z.boolean(),
      hasBoxes: z.boolean(),
      skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
      sample: z.array(z.object({ file: z.string(), label: z.string(), split: z.string().nullable(), attributes: z.record(z.string(), z.string()) })),
    }),
  },
  'dataset.thumbnails': {
    request: z.object({ indices: z.array(z.number().int().min(0)).min(1).max(200) }).strict(),
    /** data:image/png URLs of the stored model-input images, in request order. */
    response: z.array(z.string()),
  },
  /** Exaggeration explainers usable with the project's classifier: its own and matching shipped ones. */
  'explainers.list': { request: Empty, response: z.array(ExplainerInfoSchema) },
  /** The project's invariance surrogates and saved analyses (seed 003). */
  'invariance.saved': { request: Empty, response: InvarianceSavedSchema },
  /** The newest saved invariance analysis for the current model (of one surrogate when named), or null. */
  'invariance.analysis': { request: InvarianceAnalysisRequestSchema, response: InvarianceAnalysisResultSchema.nullable() },
  /** The newest saved causal-factors result (seed 000; of one explainer when named), or null. */
  'causalFactors.latest': { request: CausalFactorsLatestRequestSchema, response: SavedCausalFactorsSchema.nullable() },
  /** Causal queries answered by the auditor (seed 001): batches, one batch with its answers, save one answer. */
  'causalQueries.list': CausalQueryApiSchemas.list,
  'causalQueries.batch': CausalQueryApiSchemas.batch,
  'causalQueries.answer': CausalQueryApiSchemas.answer,
} satisfies Record<ApiMethod, { request: z.ZodType; response: z.ZodType }>;

/** Every event the main process may push to the renderer. */
export const EventSchemas = {
  'job.update': JobSnapshotSchema,
} satisfies Record<ApiEvent, z.ZodType>;

export type ApiRequest<M extends ApiMethod> = z.input<(typeof ApiSchemas)[M]['request']>;
export type ApiResponse<M extends ApiMethod> = z.infer<(typeof ApiSchemas)[M]['response']>;
export type ApiEventPayload<E extends ApiEvent> = z.infer<(typeof EventSchemas)[E]>;

/** The transport-independent client the renderer talks to. */
export interface ApiClient {
  invoke<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResponse<M>>;
  on<E extends ApiEvent>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void;
}

/** Wire envelope for responses: errors cross the boundary as data, not exceptions. */
export type Envelope<T> = { ok: true; result: T } | { ok: false; error: EngineErrorInfo };

/** Error raised to renderer code when a request fails; carries the typed error info. */
export class ApiError extends Error {
  readonly code: EngineErrorInfo['code'];
  readonly details?: string;
  constructor(info: EngineErrorInfo) {
    super(info.message);
    this.name = 'ApiError';
    this.code = info.code;
    this.details = info.details;
  }
}
