// Saliency mass on a declared confounder (Bias screen, issue 8): for test images where the
// confounder is present and its region is known (a `box` column, or the burned-in marker's
// corner), how much of each saliency map's positive mass falls inside the region, compared with
// the region's share of the image. Pure zod, shared by the contract, the CLI and the renderer.
import { z } from 'zod';
import { SALIENCY_METHOD_IDS } from './saliency';

export const ConfounderSaliencyParamsSchema = z
  .object({
    /** Attribute column that declares the confounder. */
    attribute: z.string().min(1).max(100).default('marker'),
    /** Value meaning 'present' (default: 'present', else the less frequent value). */
    present: z.string().min(1).max(200).optional(),
    split: z.enum(['train', 'val', 'test']).default('test'),
    methods: z.array(z.enum(SALIENCY_METHOD_IDS)).min(1).max(SALIENCY_METHOD_IDS.length).default(['gradient', 'grad-cam', 'integrated-gradients']),
    /** Images with the confounder present (a seeded sample), at most this many. */
    images: z.number().int().min(4).max(2000).default(60),
    /** Bootstrap resamples of the intervals. */
    bootstrap: z.number().int().min(100).max(100_000).default(1000),
    seed: z.number().int().min(0).default(0),
  })
  .strict();
export type ConfounderSaliencyParams = z.infer<typeof ConfounderSaliencyParamsSchema>;

const Interval = z.object({ value: z.number().nullable(), lo: z.number().nullable(), hi: z.number().nullable() });

export const ConfounderSaliencyResultSchema = z.object({
  attribute: z.string(),
  present: z.string(),
  split: z.enum(['train', 'val', 'test']),
  /** Images analysed (confounder present, region known). */
  images: z.number(),
  /** Mean share of the image the region covers: what a map blind to the region would put there. */
  regionArea: z.number(),
  target: z.string(),
  methods: z.array(
    z.object({
      method: z.enum(SALIENCY_METHOD_IDS),
      label: z.string(),
      /** Mean share of the map's positive mass inside the region, with a 95% bootstrap interval. */
      share: Interval,
      /** share / regionArea: 1 = no preference for the region. */
      ratio: z.number().nullable(),
      /** Effective heat ratio on the region (InputIBA's metric). */
      ehr: Interval,
    }),
  ),
  /** A few overlays (image, then one per method), PNG data URLs. */
  examples: z.array(z.object({ image: z.string(), maps: z.array(z.object({ method: z.string(), png: z.string() })) })),
  modelHash: z.string().nullable(),
  computedAt: z.string(),
});
export type ConfounderSaliencyResult = z.infer<typeof ConfounderSaliencyResultSchema>;
