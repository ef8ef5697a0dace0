import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodeError, decodeImage } from '../../../src-main/engine/data/decoders';
import { fuzzSources, mutations, rng } from './fuzz-mutators';
import { hasData } from './reference-helpers';

/**
 * Seeded fuzz over the reference files: every variant must decode or raise DecodeError, each
 * within PER_FILE_MS. Mutations aim at what breaks readers: cut files, flipped bits, lengths
 * past the end or 0xFFFFFFFF, deep sequences, too-short pixel data, huge NumberOfFrames,
 * damaged codestreams.
 */
// FUZZ_SEED / FUZZ_SCALE let a long local run explore further; CI uses the fixed seed.
const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const PER_FILE_MS = 2000;
const VARIANTS_PER_FILE = 150;

describe.skipIf(!hasData)('decoders: seeded fuzz', () => {
  it(`every variant decodes or raises DecodeError within ${PER_FILE_MS} ms`, { timeout: 240_000 * SCALE }, async () => {
    const r = rng(SEED);
    const counts = { variants: 0, decoded: 0, decodeError: 0 };
    const byKind: Record<string, number> = {};
    let slowest = { ms: 0, label: '' };
    const failures: string[] = [];
    const reasons: Record<string, number> = {};
    for (const s of fuzzSources()) {
      // Raster files cost more per decode; fewer variants keep the run short.
      const n = Math.round((/\.(png|jpg)$/.test(s.name) ? 30 : VARIANTS_PER_FILE) * SCALE);
      for (let i = 0; i < n; i++) {
        const m = mutations[i % mutations.length](s, r);
        const label = `${s.name}#${i} ${m.label}`;
        const t0 = performance.now();
        try {
          const img = await decodeImage({ name: path.basename(s.name), bytes: m.bytes });
          expect(img.pixelData.length).toBe(img.width * img.height * img.samplesPerPixel);
          counts.decoded++;
          if (process.env.FUZZ_VERBOSE) reasons[`${m.label.replace(/-x[0-9a-f]{8}$/, '')}: decoded`] = (reasons[`${m.label.replace(/-x[0-9a-f]{8}$/, '')}: decoded`] ?? 0) + 1;
        } catch (e) {
          if (e instanceof DecodeError) {
            counts.decodeError++;
            if (process.env.FUZZ_VERBOSE) {
              const k = `${m.label.replace(/-x[0-9a-f]{8}$/, '')}: ${e.reason.replace(/\d+/g, 'N').slice(0, 70)}`;
              reasons[k] = (reasons[k] ?? 0) + 1;
            }
            byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
            if (!e.message.startsWith(`${path.basename(s.name)}: `)) failures.push(`${label}: message does not name the file: ${e.message}`);
          } else {
            failures.push(`${label}: threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
          }
        }
        const ms = performance.now() - t0;
        if (ms > slowest.ms) slowest = { ms, label };
        if (ms > PER_FILE_MS) failures.push(`${label}: took ${ms.toFixed(0)} ms`);
        counts.variants++;
      }
    }
    console.log(
      `fuzz: ${counts.variants} variants, ${counts.decoded} decoded, ${counts.decodeError} DecodeError ${JSON.stringify(byKind)}, ` +
        `${failures.length} failures; slowest ${slowest.ms.toFixed(0)} ms (${slowest.label}); rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
    );
    if (process.env.FUZZ_VERBOSE) console.log(Object.entries(reasons).sort().map(([k, v]) => `${v}\t${k}`).join('\n'));
    expect(failures).toEqual([]);
    expect(counts.variants).toBeGreaterThanOrEqual(2000);
  });
});
