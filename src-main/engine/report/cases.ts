// Selected cases for the report: the most confident errors and correct calls of the test
// split, with their images. Analyses (saliency, exaggeration) add panels through providers.
import sharp from 'sharp';
import type { ImageSet } from '../data/image-set';
import type { ReportCase } from './model';

export interface CasePick {
  index: number;
  kind: 'false negative' | 'false positive' | 'true positive' | 'true negative';
  probability: number;
}

/**
 * Up to `perKind` of each outcome, the most confident first; `key` groups images that are
 * copies of one another (e.g. an image and its marked twin) so only one of a group is picked.
 */
export function pickCases(indices: number[], probs: ArrayLike<number>, labels: ArrayLike<number>, threshold: number, perKind = 2, key: (index: number) => string = String): CasePick[] {
  const rows = indices.map((index, k) => ({ index, p: probs[k], y: labels[k] }));
  const used = new Set<string>();
  const take = (kind: CasePick['kind'], filter: (r: (typeof rows)[number]) => boolean, order: (a: number, b: number) => number): CasePick[] => {
    const out: CasePick[] = [];
    for (const r of rows.filter(filter).sort((a, b) => order(a.p, b.p))) {
      if (out.length >= perKind || used.has(key(r.index))) continue;
      used.add(key(r.index));
      out.push({ index: r.index, kind, probability: r.p });
    }
    return out;
  };
  return [
    ...take('false negative', (r) => r.y === 1 && r.p < threshold, (a, b) => a - b),
    ...take('false positive', (r) => r.y === 0 && r.p >= threshold, (a, b) => b - a),
    ...take('true positive', (r) => r.y === 1 && r.p >= threshold, (a, b) => b - a),
    ...take('true negative', (r) => r.y === 0 && r.p < threshold, (a, b) => a - b),
  ];
}

export async function imagePng(set: ImageSet, index: number, side = 96): Promise<string> {
  const px = set.size * set.size;
  const png = await sharp(Buffer.from(set.images.subarray(index * px, (index + 1) * px)), { raw: { width: set.size, height: set.size, channels: 1 } })
    .resize(side, side, { kernel: 'nearest' })
    .png()
    .toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

export async function casesFor(set: ImageSet, picks: CasePick[]): Promise<ReportCase[]> {
  return Promise.all(
    picks.map(async (c) => ({
      id: set.ids[c.index],
      label: `${c.kind} (${set.classNames[set.labels[c.index]]})`,
      probability: c.probability,
      image: await imagePng(set, c.index),
      panels: [],
    })),
  );
}
