// Invariance analysis schemas (seed 003), pure zod so that the API contract and the renderer can
// use them: the surrogate's architecture and objective, the training options, the two jobs'
// parameters, and the shapes of their (JSON) results.
import { z } from 'zod';
import { AugmentSchema } from './training';

/** The default sigma sweep of the invariance test (seed 003 section 3.0.1: 0.1 to 5). */
export const DEFAULT_SIGMAS = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5];

export const SurrogateArchitectureSchema = z
  .object({
    /** Latent dimensions the classifier head reads (z1: what the classifier uses). */
    z1: z.number().int().min(1).max(64).default(8),
    /** Nuisance dimensions (z2: what the classifier ignores); only the decoder reads them. */
    z2: z.number().int().min(1).max(64).default(12),
    /** Filters of the encoder's 4x4 stride-2 convolutions; the decoder mirrors them. Empty: chosen from the image size. */
    widths: z.array(z.number().int().min(4).max(256)).max(5).default([]),
    /** Units of the dense layer between the conv features and the latent (and back). */
    hidden: z.number().int().min(8).max(1024).default(256),
    /** Units of the hidden layer of the head p(y | z1); 0 makes it linear. */
    headHidden: z.number().int().min(0).max(512).default(32),
  })
  .strict();
export type SurrogateArchitecture = z.infer<typeof SurrogateArchitectureSchema>;
export type SurrogateArchitectureInput = z.input<typeof SurrogateArchitectureSchema>;

export const SurrogateOptionsSchema = z
  .object({
    /** 'svae': the supervised VAE (seed 003 Eqs. 6-7); 'm2': the semi-supervised VAE of Kingma et al. (Eq. 8), for comparison. */
    model: z.enum(['svae', 'm2']).default('svae'),
    architecture: SurrogateArchitectureSchema.default(SurrogateArchitectureSchema.parse({})),
    /** Weight of the generative ELBO against the classification ELBO (Eq. 6); 1 - beta weighs the sufficiency term. */
    beta: z.number().min(0).max(1).default(0.9),
    /** Weight of the latent classifier's log-likelihood (Eq. 6e -> alpha E[log p(y | z1)]; in M2 the alpha term of Eq. 8); seed 003 uses 60 and 6000 on MNIST. */
    alpha: z.number().positive().max(1e5).default(6000),
    /** 'model': the audited classifier's decisions (the audit default: z1 then holds what it uses); 'true': the data set's labels. */
    labels: z.enum(['model', 'true']).default('model'),
    epochs: z.number().int().min(1).max(1000).default(25),
    batchSize: z.number().int().min(2).max(1024).default(64),
    learningRate: z.number().positive().max(1).default(1e-3),
    /** Seeds initialisation, shuffling and the reparameterisation noise. */
    seed: z.number().int().min(0).default(0),
    /**
     * Pixel likelihood p(x|z): 'bernoulli' (cross-entropy on 0..1 grey values, the usual MNIST choice)
     * or 'gaussian' with standard deviation `pixelSigma` around the decoded mean (weighs
     * reconstruction more, giving sharper images on X-rays).
     */
    likelihood: z.enum(['bernoulli', 'gaussian']).default('bernoulli'),
    pixelSigma: z.number().min(0.01).max(1).default(0.1),
    /**
     * Seeded shifts and brightness/contrast changes of the training images; with labels 'model' each
     * changed image is labelled by the model itself, so the surrogate sees more of its decision
     * function than the training images alone show. false: the images as they are. Off by default:
     * on the demo it did not raise agreement (0.944) and shifted burned-in markers stopped being
     * encoded, while decoded images drifted further from what the model decides on.
     */
    augment: z.union([AugmentSchema, z.literal(false)]).default(false),
    /**
     * labels 'model' only: learn the model's class probabilities instead of its decisions (soft
     * targets in alpha E[log p(y|z1)] and as the label input of q(z|x,y), as in distillation).
     */
    softTargets: z.boolean().default(false),
    /**
     * SVAE only: an added term gamma E[log f(y | decoded x)], f a classifier on the decoded image,
     * so that reconstructions keep the decision (a departure from seed 003, whose decoder sees
     * only the pixel likelihood): 'audited' (the audited classifier; labels 'model'), 'surrogate'
     * (the SVAE's own inference classifier: a re-encoding consistency term, any labels), 'off', or
     * 'auto': 'audited' for an SVAE on the model's decisions, else 'off'. On the demo (12 epochs)
     * it raised the model's agreement on decoded images from 0.79 to 0.92-0.93 and the verified
     * invariance at sigma 1 from 0.86 to 0.92-0.93, at about twice the training time, while the
     * SVAE head's own invariance fell from 0.95 to 0.89-0.91. 'surrogate' on Fashion-MNIST (20,000
     * images, 5 epochs) raised the head's invariance at sigma 0.1 from 0.875 to 0.911 but cut
     * accuracy from 0.867 to 0.692: not recommended.
     */
    decisionTerm: z.enum(['auto', 'off', 'audited', 'surrogate']).default('auto'),
    /** gamma, the weight of the decision term (alpha's scale). */
    decisionWeight: z.number().min(0).max(1e5).default(600),
    /** M2 only: include the sum over classes of Eq. 8 (K decoder passes per image); off keeps only the labelled terms. */
    m2SumOverClasses: z.boolean().default(true),
  })
  .strict();
export type SurrogateOptions = z.infer<typeof SurrogateOptionsSchema>;
export type SurrogateOptionsInput = z.input<typeof SurrogateOptionsSchema>;

const SplitSchema = z.enum(['train', 'val', 'test']);
const NameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash and underscore; at most 64 characters')
  .default('svae');

/** Job 'invariance-train': train the surrogate on the open project against its model. */
export const InvarianceTrainParamsSchema = z
  .object({
    /** Saved in the project as artefact `invariance-<name>`. */
    name: NameSchema,
    options: SurrogateOptionsSchema.default(SurrogateOptionsSchema.parse({})),
    /** Splits to train on; the last epoch's metrics are measured on `evalSplit`. */
    trainSplits: z.array(SplitSchema).min(1).default(['train', 'val']),
    evalSplit: SplitSchema.default('test'),
    /** At most this many evaluation images per epoch (a seeded choice). */
    evalImages: z.number().int().min(10).max(100_000).default(500),
    /** Continue from this name's checkpoint when there is one. */
    resume: z.boolean().default(false),
  })
  .strict();
export type InvarianceTrainParams = z.infer<typeof InvarianceTrainParamsSchema>;

export const AttributionMethodSchema = z.enum(['gradient', 'gradient-x-input', 'integrated-gradients', 'smoothgrad']);
export type AttributionMethod = z.infer<typeof AttributionMethodSchema>;

/** Job 'invariance-analysis': invariance test, gallery, counterfactuals and KL attribution maps. */
export const InvarianceAnalysisParamsSchema = z
  .object({
    /** The trained SVAE (artefact `invariance-<name>`). */
    name: NameSchema,
    /** An M2 trained on the same project, drawn as the comparison curve when given. */
    m2Name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/).optional(),
    split: SplitSchema.default('test'),
    /** Images in the invariance test (a seeded choice from the split). */
    testImages: z.number().int().min(10).max(100_000).default(500),
    sigmas: z.array(z.number().positive().max(20)).min(1).max(40).default(DEFAULT_SIGMAS),
    seed: z.number().int().min(0).default(0),
    /** Images (indices into the project's image set) to explain; default: the first test image of each predicted class, up to 4. */
    queries: z.array(z.number().int().min(0)).max(16).optional(),
    /** Invariantly transformed samples per query (z2 resampled, label kept). */
    galleryPerQuery: z.number().int().min(1).max(32).default(8),
    /** Sigma for the gallery and the attribution samples (seed 003 keeps sigma < 2). */
    gallerySigma: z.number().positive().max(2).default(1),
    /** Counterfactual strip: each z1 dimension moved by +-step (in prior standard deviations). */
    counterfactualStep: z.number().positive().max(10).default(3),
    methods: z.array(AttributionMethodSchema).min(1).default(['integrated-gradients', 'gradient']),
    /** Integrated gradients steps; SmoothGrad samples and noise (fraction of the 0..1 range). */
    igSteps: z.number().int().min(2).max(512).default(32),
    smoothGradSamples: z.number().int().min(1).max(256).default(16),
    smoothGradNoise: z.number().min(0).max(1).default(0.15),
  })
  .strict();
export type InvarianceAnalysisParams = z.infer<typeof InvarianceAnalysisParamsSchema>;

/** sigma (as a string key, e.g. "0.5") -> fraction of samples whose label is unchanged. */
export type SigmaCurve = Record<string, number>;

export interface InvarianceCurves {
  sigmas: number[];
  n: number;
  /** Labels by the SVAE head after z2 was resampled, against its prediction for the original. */
  svaeHead: SigmaCurve;
  /** The audited classifier on the decoded images, against its decision on the original image. */
  auditedClassifier: SigmaCurve | null;
  /**
   * The same with the original's detail kept: x + decode(z1, z2') - decode(z1, z2), i.e. only the
   * change the new z2 makes is applied to the image (a diagnostic where the decoder's blur alone
   * moves the model's decisions; see reconstructionAgreement).
   */
  auditedClassifierResidual: SigmaCurve | null;
  /** M2 (all of z resampled, decoded with the predicted label), against its own prediction. */
  m2: SigmaCurve | null;
  /** Control: z1 resampled instead of z2; should fall toward chance. */
  z1Control: SigmaCurve;
  /** Chance agreement: 1 / classes, and the agreement of two independent labels with the observed marginals at each sigma. */
  chance: { uniform: number; independent: SigmaCurve };
  /** The audited classifier on plain reconstructions (z kept): how far decoding alone moves its decisions. */
  reconstructionAgreement: number | null;
}

export interface GalleryEntry {
  index: number;
  id: string;
  label: string;
  /** The SVAE's predicted class for the query and the audited classifier's decision. */
  predicted: string;
  audited: string | null;
  /** PNG data URLs: the query, its reconstruction, then the invariantly transformed samples. */
  original: string;
  reconstruction: string;
  samples: string[];
  /** How many draws it took to get the samples whose label was kept. */
  draws: number;
}

export interface CounterfactualImage {
  /** PNG data URL. */
  image: string;
  /** The SVAE's label for the decoded image (re-encoded) and the audited classifier's decision on it. */
  label: string;
  audited: string | null;
}

export interface CounterfactualStrip {
  index: number;
  /** The query decoded from the mean of q(z|x), and the SVAE's label for it. */
  center: string;
  predicted: string;
  /** Each z1 dimension moved by -step and +step (prior standard deviations). */
  step: number;
  dimensions: { dim: number; minus: CounterfactualImage; plus: CounterfactualImage }[];
  /** Per other class, the smallest move of one z1 dimension that makes the head predict it (seed 003 Fig. 7). */
  perClass: (CounterfactualImage & { target: string; dim: number; delta: number })[];
}

export interface AttributionMaps {
  index: number;
  method: AttributionMethod;
  /** PNG data URLs of the maps for the first transformed sample, k = 1 (what the model relies on) and k = 2 (what it ignores). */
  k1: string;
  k2: string;
  /** The transformed sample the maps explain. */
  sample: string;
  /** d(x, x~) for k = 1 and k = 2 at that sample. */
  divergence: { k1: number; k2: number };
  /** The method's per-map diagnostics (Integrated Gradients: completenessDelta, relativeDelta, outputGap). */
  diagnostics: { k1: Record<string, number>; k2: Record<string, number> };
}

export interface InvarianceAnalysisResult {
  name: string;
  modelHash: string | null;
  datasetHash: string | null;
  split: string;
  classNames: string[];
  curves: InvarianceCurves;
  gallery: GalleryEntry[];
  counterfactuals: CounterfactualStrip[];
  maps: AttributionMaps[];
  analysedAt: string;
}
