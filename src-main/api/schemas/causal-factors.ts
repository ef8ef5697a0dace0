// Generative causal explanation (seed 000) schemas, pure zod: the explainer's options, the
// 'causal-factors' job's parameters, and its JSON result.
import { z } from 'zod';

export const CausalExplainerOptionsSchema = z
  .object({
    /** Causal factors alpha. */
    k: z.number().int().min(1).max(16).default(1),
    /** Non-causal factors beta. */
    l: z.number().int().min(0).max(32).default(5),
    /** Filters per conv layer of seed 000 Table 2 (the seed: 64; Table 3 compares 8..64). */
    filters: z.number().int().min(4).max(256).default(64),
    /** Weight of the data fidelity D in C + lambda * D (the seed: 0.05 for Fashion-MNIST). */
    lambda: z.number().min(0).max(1000).default(0.05),
    /** Adam learning rate (betas 0.5 / 0.999). The seed's archived run: 5e-4 (its text: 1e-4). */
    lr: z.number().positive().max(1).default(5e-4),
    batchSize: z.number().int().min(1).max(512).default(64),
    steps: z.number().int().min(1).max(100_000).default(500),
    /** Samples of C during training (the seed: 100 x 25; fewer trains faster with a noisier gradient). */
    trainNAlpha: z.number().int().min(1).max(10_000).default(32),
    trainNBeta: z.number().int().min(1).max(10_000).default(8),
    /** 'joint' C = I(alpha; Y) (the seed's objective, the default) or 'independent' (1/K) sum_k I(alpha_k; Y). */
    variant: z.enum(['joint', 'independent']).default('joint'),
    seed: z.number().int().min(0).default(0),
  })
  .strict();
export type CausalExplainerOptions = z.infer<typeof CausalExplainerOptionsSchema>;

/** Job 'causal-factors': train (or resume / reuse) an explainer of the open project's model and report it. */
export const CausalFactorsParamsSchema = z
  .object({
    /** 'project': the open project's images and model; 'demo': the bundled PneumoniaMNIST set and demo classifier. */
    data: z.enum(['project', 'demo']).default('project'),
    /** Saved as <project>/causal/<name> (or under outDir). */
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash and underscore; at most 64 characters')
      .default('explainer'),
    /** Absolute folder for the explainer (required with data 'demo' when no project is open). */
    outDir: z.string().min(1).max(4096).optional(),
    options: CausalExplainerOptionsSchema.default(CausalExplainerOptionsSchema.parse({})),
    /** Continue from a saved explainer in the output folder (a finished one is only evaluated). */
    resume: z.boolean().default(true),
    /** Training splits. */
    trainSplits: z.array(z.enum(['train', 'val', 'test'])).min(1).default(['train']),
    /** Evaluation sizes of I(alpha; Y): at least 100 x 25 (the floor). */
    evalNAlpha: z.number().int().min(100).max(10_000).default(100),
    evalNBeta: z.number().int().min(25).max(10_000).default(25),
    /** Also estimate I(beta_j; Y) for every non-causal factor (one more N_alpha x N_beta run each). */
    betaInfluence: z.boolean().default(true),
    /** Images (from the evaluation split) whose sweeps are rendered. */
    sweepImages: z.number().int().min(0).max(16).default(2),
    sweepSplit: z.enum(['train', 'val', 'test']).default('test'),
    /** Render sweeps of the first sweep image every N steps into the progress history (0: only at the end). */
    sweepEvery: z.number().int().min(0).max(100_000).default(0),
    /** Save a checkpoint every N steps. */
    checkpointEvery: z.number().int().min(1).max(100_000).default(50),
  })
  .strict();
export type CausalFactorsParams = z.infer<typeof CausalFactorsParamsSchema>;
export type CausalFactorsParamsInput = z.input<typeof CausalFactorsParamsSchema>;

const FactorSweepSchema = z.object({
  factor: z.number().int(),
  name: z.string(),
  causal: z.boolean(),
  values: z.array(z.number()),
  probs: z.array(z.array(z.number())),
  maxShift: z.array(z.number()),
  stableFraction: z.number(),
  png: z.string().optional(),
});

export const CausalFactorsResultSchema = z.object({
  dir: z.string(),
  classifierHash: z.string().nullable(),
  classNames: z.array(z.string()),
  options: CausalExplainerOptionsSchema,
  steps: z.number().int(),
  resumedFrom: z.number().int().nullable(),
  trainSeconds: z.number(),
  backend: z.string(),
  history: z.array(z.object({ step: z.number(), C: z.number(), D: z.number(), loss: z.number(), seconds: z.number() })),
  influence: z.object({
    joint: z.number(),
    independent: z.number(),
    perFactor: z.array(z.object({ name: z.string(), causal: z.boolean(), nats: z.number() })),
    nAlpha: z.number().int(),
    nBeta: z.number().int(),
    logM: z.number(),
  }),
  certificate: z.object({ classes: z.number().int(), influence: z.number(), errorBound: z.number().nullable(), explained: z.number().nullable(), text: z.string() }),
  /** Sweeps of the first sweep image rendered during training (every sweepEvery steps). */
  snapshots: z.array(z.object({ step: z.number().int(), factors: z.array(z.object({ name: z.string(), png: z.string() })) })),
  sweeps: z.array(z.object({ imageId: z.string(), label: z.string(), reconstructionProbs: z.array(z.number()), factors: z.array(FactorSweepSchema) })),
});
export type CausalFactorsResult = z.infer<typeof CausalFactorsResultSchema>;
