// Agents answer causal queries: given manipulated images, P(T | do(I = i)) for each. Scripted
// agents stand in for the human auditor in tests and benchmarks.
import { imageAt, countOf, type Images } from './images';
import { pDo } from './grating';

export interface Agent {
  readonly name: string;
  /** P(T = 1 | do(I = i)) per image; `sources` are the rows the images were made from, when known. */
  query(images: Images, sources?: ArrayLike<number>): Float32Array;
}

/** GRATING's ground truth: 0.85 with an h-bar, 0.25 without (independent of any v-bar). */
export const gratingAgent: Agent = {
  name: 'grating-ground-truth',
  query: (images) => Float32Array.from({ length: countOf(images) }, (_, k) => pDo(imageAt(images, k), images.size)),
};

/**
 * PneumoniaMNIST with a burned-in marker: the label of the image without the marker, i.e. the
 * label of the original image the query was made from (small manipulations and the marker do not
 * change the finding). `labels` is 0/1 per source row.
 */
export function labelAgent(labels: ArrayLike<number>): Agent {
  return {
    name: 'label-without-marker',
    query: (images, sources) => {
      if (!sources || sources.length !== countOf(images)) throw new Error('labelAgent needs the source row of every query');
      return Float32Array.from(sources, (r) => labels[r]);
    },
  };
}

/** An agent whose answers are rescaled from [lo, hi] to [0, 1] (C then learns the causal value on a 0..1 scale). */
export function rescaledAgent(agent: Agent, lo: number, hi: number): Agent {
  const span = hi - lo || 1;
  return { name: agent.name, query: (images, sources) => Float32Array.from(agent.query(images, sources), (v) => (v - lo) / span) };
}
