// A project is a folder the user can copy: project.json plus content-addressed blobs.
// Saves are atomic and serialised; opening verifies the manifest and every blob's hash.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { EngineError } from '../jobs/errors';
import { removeStaleTemps, sha256, writeFileAtomic } from './atomic';
import { PROJECT_FORMAT, PROJECT_VERSION, ProjectManifestSchema, type BlobRef, type ProjectManifest } from './manifest';

export const MANIFEST_FILE = 'project.json';
const BLOB_DIR = 'blobs';

export class ProjectStore {
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private current: ProjectManifest,
  ) {}

  get manifest(): Readonly<ProjectManifest> {
    return this.current;
  }

  static async create(dir: string, name: string, opts: { keepIdentifiers?: boolean } = {}): Promise<ProjectStore> {
    await fs.promises.mkdir(path.join(dir, BLOB_DIR), { recursive: true });
    if (fs.existsSync(path.join(dir, MANIFEST_FILE))) throw new EngineError('bad_input', `${dir} already holds a project`);
    const now = new Date().toISOString();
    const manifest: ProjectManifest = {
      format: PROJECT_FORMAT,
      version: PROJECT_VERSION,
      id: randomUUID(),
      name,
      createdAt: now,
      updatedAt: now,
      revision: 0,
      keepIdentifiers: opts.keepIdentifiers ?? false,
      keySalt: randomBytes(16).toString('hex'),
      dataset: null,
      artefacts: {},
    };
    await writeFileAtomic(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
    return new ProjectStore(dir, manifest);
  }

  static async open(dir: string): Promise<ProjectStore> {
    const file = path.join(dir, MANIFEST_FILE);
    let raw: string;
    try {
      raw = await fs.promises.readFile(file, 'utf8');
    } catch {
      throw new EngineError('not_found', `${dir}: not a project folder (no ${MANIFEST_FILE})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      throw new EngineError('bad_input', `${file}: not valid JSON (${(e as Error).message})`);
    }
    const parsed = ProjectManifestSchema.safeParse(json);
    if (!parsed.success) {
      throw new EngineError('bad_input', `${file}: not a valid project manifest: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    }
    const store = new ProjectStore(dir, parsed.data);
    await removeStaleTemps(dir);
    await removeStaleTemps(path.join(dir, BLOB_DIR));
    for (const ref of store.blobRefs()) await store.verifyBlob(ref);
    return store;
  }

  /** Stores bytes under their hash (idempotent) and returns the reference to put in the manifest. */
  async writeBlob(data: Uint8Array, ext: string): Promise<BlobRef> {
    const hash = sha256(data);
    const rel = `${BLOB_DIR}/${hash}.${ext}`;
    const abs = path.join(this.dir, rel);
    if (!fs.existsSync(abs) || sha256(await fs.promises.readFile(abs)) !== hash) await writeFileAtomic(abs, data);
    return { file: rel, sha256: hash, bytes: data.length };
  }

  async readBlob(ref: BlobRef): Promise<Buffer> {
    const data = await fs.promises.readFile(path.join(this.dir, ref.file)).catch(() => {
      throw new EngineError('bad_input', `${this.dir}: ${ref.file} is missing`);
    });
    if (sha256(data) !== ref.sha256) throw new EngineError('bad_input', `${this.dir}: ${ref.file} is corrupt (hash mismatch)`);
    return data;
  }

  /**
   * Applies a change to the manifest and saves it atomically. Updates run one at a time; a
   * mutator that throws leaves the saved project untouched.
   */
  update(mutate: (draft: ProjectManifest) => void): Promise<ProjectManifest> {
    const next = this.chain.then(async () => {
      const draft = structuredClone(this.current);
      mutate(draft);
      draft.revision = this.current.revision + 1;
      draft.updatedAt = new Date().toISOString();
      const valid = ProjectManifestSchema.parse(draft);
      await writeFileAtomic(path.join(this.dir, MANIFEST_FILE), JSON.stringify(valid, null, 2));
      this.current = valid;
      return valid;
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Deletes blobs no longer referenced by the manifest. */
  async collectGarbage(): Promise<number> {
    const live = new Set(this.blobRefs().map((r) => path.basename(r.file)));
    let removed = 0;
    for (const name of await fs.promises.readdir(path.join(this.dir, BLOB_DIR))) {
      if (!live.has(name)) {
        await fs.promises.rm(path.join(this.dir, BLOB_DIR, name), { force: true });
        removed++;
      }
    }
    return removed;
  }

  private blobRefs(): BlobRef[] {
    const refs: BlobRef[] = [];
    const d = this.current.dataset;
    if (d) refs.push(d.pixels, d.index);
    for (const a of Object.values(this.current.artefacts)) if (a.blob) refs.push(a.blob);
    return refs;
  }

  private async verifyBlob(ref: BlobRef): Promise<void> {
    await this.readBlob(ref);
  }
}
