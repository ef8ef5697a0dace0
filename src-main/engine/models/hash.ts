// A model's identity: SHA-256 over model.json, its weight shards and the sidecar. Explainers
// trained against a model (IBA statistics, generative explainers) record it and refuse to run
// against a different one.
import * as crypto from 'node:crypto';
import type { ModelFiles } from './io';
import { readModelFiles } from './io';
import { readSidecar, sidecarBytes, type Sidecar } from './sidecar';

/** Each part framed by its name and length, so that moving bytes between parts changes the hash. */
export function hashModelFiles(files: ModelFiles, sidecar: Buffer): string {
  const h = crypto.createHash('sha256');
  const part = (name: string, bytes: Buffer): void => {
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(bytes.length));
    h.update(`${name}\0`).update(len).update(bytes);
  };
  part('model.json', files.modelJson);
  for (const s of files.shards) part(`weights:${s.name}`, s.bytes);
  part('xray-audit.json', sidecar);
  return h.digest('hex');
}

/** The hash of a model folder as stored (the sidecar in canonical form, so formatting edits do not count). */
export function hashModelDir(dir: string): string {
  return hashModelFiles(readModelFiles(dir).files, sidecarBytes(readSidecar(dir)));
}

export function hashWithSidecar(files: ModelFiles, sidecar: Sidecar): string {
  return hashModelFiles(files, sidecarBytes(sidecar));
}
