// Saliency schemas, pure zod (no tfjs), shared by the engine, the API contract and the renderer:
// each method's settings with the papers' defaults, the metrics' settings, and the saliency
// job's parameters.
import { z } from 'zod';

export const SALIENCY_METHOD_IDS = ['gradient', 'gradient-x-input', 'smoothgrad', 'integrated-gradients', 'grad-cam', 'occlusion', 'iba', 'input-iba'] as const;
export const SaliencyMethodIdSchema = z.enum(SALIENCY_METHOD_IDS);
export type SaliencyMethodId = z.infer<typeof SaliencyMethodIdSchema>;

export const SALIENCY_METRIC_IDS = ['deletion', 'insertion', 'pixel-perturbation', 'ehr', 'sanity'] as const;
export const SaliencyMetricIdSchema = z.enum(SALIENCY_METRIC_IDS);
export type SaliencyMetricId = z.infer<typeof SaliencyMetricIdSchema>;

const layer = z.string().min(1).max(200);
const seed = z.number().int().min(0).default(0);

// ---- methods -------------------------------------------------------------------------------

/** Simonyan et al.: |d p / d x| (absolute: false keeps the sign). */
export const GradientSettingsSchema = z.object({ absolute: z.boolean().default(true) }).strict();

export const GradientXInputSettingsSchema = z.object({}).strict();

/** Smilkov et al.: n = 50 noisy copies, noise sd 15% of the input range (their 10-20%). */
export const SmoothGradSettingsSchema = z
  .object({
    /** The wrapped method (any but SmoothGrad itself); its own settings are its defaults. */
    base: SaliencyMethodIdSchema.exclude(['smoothgrad']).default('gradient'),
    samples: z.number().int().min(1).max(500).default(50),
    /** Noise sd as a fraction of the input range (images are 0..1). */
    noise: z.number().min(0).max(1).default(0.15),
    seed,
  })
  .strict();

/** Sundararajan et al. as used by seed 002: black baseline, 50 steps; trapezoid rule (METHODS.md 3). */
export const IntegratedGradientsSettingsSchema = z
  .object({
    steps: z.number().int().min(2).max(1000).default(50),
    /** Grey value of the baseline image, 0..1 (0 = black). */
    baseline: z.number().min(0).max(1).default(0),
    /** Rows per forward/backward pass (steps x images are batched together). */
    internalBatchSize: z.number().int().min(1).max(1024).default(64),
  })
  .strict();

/** Selvaraju et al. at the last conv block (`features` in the project's CNN family). */
export const GradCamSettingsSchema = z
  .object({
    /** null: `features` when the model has it, else its last layer with [N, H, W, C] output. */
    layer: layer.nullable().default(null),
  })
  .strict();

/** Zeiler & Fergus: a sliding black square; window and stride default to S/7 and half of it. */
export const OcclusionSettingsSchema = z
  .object({
    /** Side of the occluding square in pixels; null: round(S / 7) (4 at 28 px). */
    window: z.number().int().min(1).max(512).nullable().default(null),
    /** null: half the window. */
    stride: z.number().int().min(1).max(512).nullable().default(null),
    baseline: z.number().min(0).max(1).default(0),
    internalBatchSize: z.number().int().min(1).max(1024).default(128),
  })
  .strict();

/** Schulz et al. 2020 (per-sample IBA), the authors' defaults. */
const ibaFields = {
  /** Bottleneck layer; null: the block output nearest to half the input resolution (`stage1_block0` in the demo models). */
  layer: layer.nullable().default(null),
  beta: z.number().min(0).max(1000).default(10),
  steps: z.number().int().min(1).max(1000).default(10),
  lr: z.number().positive().max(100).default(1),
  /** Noise samples per image and step. */
  batchSize: z.number().int().min(1).max(256).default(10),
  initialAlpha: z.number().min(-20).max(20).default(5),
  /** Gaussian smoothing of the mask, in feature-map pixels (0: none). */
  sigma: z.number().min(0).max(10).default(1),
  minStd: z.number().positive().default(0.01),
  /** Units non-zero in at most this fraction of the reference images carry no information cost. */
  activeNeuronsThreshold: z.number().min(0).max(1).default(0.01),
  seed,
};
export const IbaSettingsSchema = z.object(ibaFields).strict();

/** The input-mask generator of InputIBA (seed 002 D.1; the authors' code's settings). */
export const InputIbaGeneratorSchema = z
  .object({
    /**
     * 'adversarial': the paper's WGAN; 'feature': its starting point (the upsampled feature-IBA
     * capacity) without training. Default 'feature': with the authors' settings the WGAN barely
     * moves lambda_G on the demo models (final maps' rank correlation 0.99999; bench/saliency.ts
     * checks it) at about 10x the cost.
     */
    kind: z.enum(['adversarial', 'feature']).default('feature'),
    epochs: z.number().int().min(0).max(1000).default(20),
    datasetSize: z.number().int().min(8).max(10_000).default(200),
    batchSize: z.number().int().min(2).max(256).default(32),
    criticIter: z.number().int().min(1).max(100).default(5),
    criticLr: z.number().positive().default(5e-5),
    maskLr: z.number().positive().default(0.003),
    weightClip: z.number().positive().default(0.01),
  })
  .strict();

/** Zhang et al. 2021 (seed 002): feature IBA, mask generator, input bottleneck; authors' ImageNet config. */
export const InputIbaSettingsSchema = z
  .object({
    /** Feature bottleneck layer; null: as IBA's default. */
    layer: layer.nullable().default(null),
    /** beta of the feature bottleneck (the authors' config uses 20). */
    featureBeta: z.number().min(0).max(1000).default(20),
    featureSteps: z.number().int().min(1).max(1000).default(10),
    beta: z.number().min(0).max(1000).default(20),
    steps: z.number().int().min(1).max(1000).default(60),
    lr: z.number().positive().max(100).default(1),
    batchSize: z.number().int().min(1).max(256).default(10),
    initialAlpha: z.number().min(-20).max(20).default(5),
    /** Smoothing of the feature mask, in feature-map pixels. */
    featureSigma: z.number().min(0).max(10).default(1),
    /** Smoothing of the input mask in pixels; null: the authors' 1 px at 224 px, scaled (S / 224: none at 28 px). */
    sigma: z.number().min(0).max(10).nullable().default(null),
    minStd: z.number().positive().default(0.01),
    activeNeuronsThreshold: z.number().min(0).max(1).default(0.01),
    generator: InputIbaGeneratorSchema.default(InputIbaGeneratorSchema.parse({})),
    seed,
  })
  .strict();

export const MethodSettingsSchemas = {
  gradient: GradientSettingsSchema,
  'gradient-x-input': GradientXInputSettingsSchema,
  smoothgrad: SmoothGradSettingsSchema,
  'integrated-gradients': IntegratedGradientsSettingsSchema,
  'grad-cam': GradCamSettingsSchema,
  occlusion: OcclusionSettingsSchema,
  iba: IbaSettingsSchema,
  'input-iba': InputIbaSettingsSchema,
} satisfies Record<SaliencyMethodId, z.ZodType>;

export type MethodSettings<M extends SaliencyMethodId> = z.infer<(typeof MethodSettingsSchemas)[M]>;
export type MethodSettingsInput<M extends SaliencyMethodId> = z.input<(typeof MethodSettingsSchemas)[M]>;

// ---- metrics -------------------------------------------------------------------------------

/** Seed 002 D.3: 10 pixels per step and a blur of kernel 29, sd 15 at 224 px; null scales those to S. */
export const DeletionSettingsSchema = z
  .object({
    stepPixels: z.number().int().min(1).max(100_000).nullable().default(null),
    internalBatchSize: z.number().int().min(1).max(4096).default(256),
  })
  .strict();
export const InsertionSettingsSchema = DeletionSettingsSchema.extend({
  blurKernel: z.number().int().min(1).max(255).nullable().default(null),
  blurSigma: z.number().positive().max(100).nullable().default(null),
}).strict();

/** Seed 004 4.3 after Samek et al.: top 5..20% pixels replaced by uniform noise, vs a random map. */
export const PixelPerturbationSettingsSchema = z
  .object({
    fractions: z.array(z.number().gt(0).max(1)).min(1).max(20).default([0.05, 0.1, 0.15, 0.2]),
    /** Random maps (and noise draws) averaged for the baseline. */
    randomMaps: z.number().int().min(1).max(100).default(5),
    seed,
  })
  .strict();

/** InputIBA's effective heat ratio (METHODS.md 3). */
export const EhrSettingsSchema = z.object({ baseThreshold: z.number().min(0).max(1).default(0.1) }).strict();

/** Adebayo et al.'s cascading model randomisation, from the top layer down. */
export const SanitySettingsSchema = z
  .object({
    /** 'top': only the last weighted layer; 'cascade': every step down to the first. */
    mode: z.enum(['top', 'cascade', 'top-and-all']).default('top-and-all'),
    /** Compare |maps| (Adebayo's main figures) or signed maps. */
    absolute: z.boolean().default(true),
    seed,
  })
  .strict();

export const MetricSettingsSchemas = {
  deletion: DeletionSettingsSchema,
  insertion: InsertionSettingsSchema,
  'pixel-perturbation': PixelPerturbationSettingsSchema,
  ehr: EhrSettingsSchema,
  sanity: SanitySettingsSchema,
} satisfies Record<SaliencyMetricId, z.ZodType>;

// ---- the job -------------------------------------------------------------------------------

/** Which class to explain: the model's prediction, its positive class, or a class index. */
export const SaliencyTargetSchema = z.union([z.enum(['predicted', 'positive']), z.number().int().min(0).max(1000)]);
export type SaliencyTarget = z.infer<typeof SaliencyTargetSchema>;

/** A box in model-input pixels (x2, y2 exclusive). */
export const RegionBoxSchema = z.object({ x1: z.number().min(0), y1: z.number().min(0), x2: z.number().min(0), y2: z.number().min(0) }).strict();
export type RegionBox = z.infer<typeof RegionBoxSchema>;

/**
 * Region for EHR: 'auto' uses the image's `box` attribute, else the burned-in marker's box when
 * the image's `marker` attribute is 'present'; 'marker' always uses the marker's box; or a box.
 */
export const SaliencyRegionSchema = z.union([z.enum(['auto', 'marker', 'none']), RegionBoxSchema]);

/** Colour maps of the heatmaps (matplotlib's, sampled). */
export const COLORMAPS = ['inferno', 'viridis', 'jet', 'bwr'] as const;
export type ColormapName = (typeof COLORMAPS)[number];

export const SaliencyParamsSchema = z
  .object({
    /** Dataset index of one image... */
    index: z.number().int().min(0).optional(),
    /** ...or several (at most 64 per job). */
    indices: z.array(z.number().int().min(0)).min(1).max(64).optional(),
    methods: z.array(SaliencyMethodIdSchema).min(1).max(SALIENCY_METHOD_IDS.length).default(['gradient', 'integrated-gradients', 'grad-cam', 'iba', 'input-iba']),
    /** Per-method settings; anything left out takes the paper's default. */
    settings: z
      .object({
        gradient: GradientSettingsSchema.optional(),
        'gradient-x-input': GradientXInputSettingsSchema.optional(),
        smoothgrad: SmoothGradSettingsSchema.optional(),
        'integrated-gradients': IntegratedGradientsSettingsSchema.optional(),
        'grad-cam': GradCamSettingsSchema.optional(),
        occlusion: OcclusionSettingsSchema.optional(),
        iba: IbaSettingsSchema.optional(),
        'input-iba': InputIbaSettingsSchema.optional(),
      })
      .strict()
      .default({}),
    target: SaliencyTargetSchema.default('predicted'),
    /** Compute metrics for each map: true = deletion, insertion, pixel perturbation and EHR (where a region exists). */
    metrics: z.union([z.boolean(), z.array(SaliencyMetricIdSchema).max(SALIENCY_METRIC_IDS.length)]).default(false),
    region: SaliencyRegionSchema.default('auto'),
    /** Reference images (random training images) for the bottleneck statistics. */
    referenceSize: z.number().int().min(16).max(10_000).default(1000),
    /** Side of the raw-map grid returned per map (maps are average-pooled down to it when smaller than the image). */
    rawSize: z.number().int().min(8).max(512).default(64),
    /** Colour map of the heatmap PNGs: 'bwr' shows signed maps (blue against, red for the target). */
    colormap: z.enum(COLORMAPS).default('inferno'),
    seed: z.number().int().min(0).default(0),
  })
  .strict()
  .refine((p) => (p.index === undefined) !== (p.indices === undefined), { message: 'give exactly one of index or indices' });

export type SaliencyParams = z.infer<typeof SaliencyParamsSchema>;
export type SaliencyParamsInput = z.input<typeof SaliencyParamsSchema>;

// ---- the result (plain types: produced by the engine, read by the renderer) ------------------

export interface SaliencyMapResult {
  method: SaliencyMethodId;
  /** Colour-mapped heat (positive part, scaled to its maximum), PNG data URL, image-sized. */
  heatmapPng: string;
  /** The map itself, row-major, rawSide x rawSide (average-pooled when the image is larger). */
  raw: number[];
  rawSide: number;
  /** Whether the map has meaningful negative values (evidence against the class). */
  signed: boolean;
  min: number;
  max: number;
  /** Method diagnostics, e.g. completenessDelta for Integrated Gradients. */
  diagnostics: Record<string, number>;
  /** Metric values (deletion AUC, ...); null where not computed or not applicable. */
  metrics: Record<string, number | null>;
  /** Deletion / insertion curves (P(target) over the fraction of pixels changed), thinned to about 100 points. */
  curves?: Record<string, { x: number[]; y: number[] }>;
  /** Milliseconds per image (the method's batch time divided by the images in it). */
  latencyMs: number;
}

export interface SaliencyImageResult {
  index: number;
  id: string;
  label: string;
  target: number;
  targetName: string;
  /** P(target) for the unmodified image. */
  probability: number;
  /** The image as the model sees it, grey PNG data URL. */
  imagePng: string;
  region: RegionBox | null;
  maps: SaliencyMapResult[];
}

export interface SaliencyResult {
  modelHash: string | null;
  imageSize: number;
  classNames: string[];
  methods: SaliencyMethodId[];
  images: SaliencyImageResult[];
  computedAt: string;
}
