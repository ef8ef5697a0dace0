// Project store: round trip, validation, corruption detection, and crash safety under SIGKILL.
import { beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fork } from 'node:child_process';
import { buildSync } from 'esbuild';
import { ProjectStore, MANIFEST_FILE } from '../../../src-main/engine/project/store';
import { loadImageSet, saveImageSet } from '../../../src-main/engine/project/dataset-io';
import { loadDemoPneumonia } from '../../../src-main/engine/data/importers/medmnist';
import { resourcesDir } from '../../../src-main/engine/resources';
import { select } from '../../../src-main/engine/data/image-set';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'xa-proj-'));

describe('ProjectStore', () => {
  it('saves an image set and reopens it identically', async () => {
    const dir = tmp();
    const store = await ProjectStore.create(dir, 'demo');
    const set = select(loadDemoPneumonia(resourcesDir()), [0, 1, 2500, 3000]);
    const rec = await saveImageSet(store, set, { kind: 'demo', description: 'test' });
    expect(rec.count).toBe(4);
    const again = await ProjectStore.open(dir);
    expect(again.manifest.revision).toBe(1);
    expect(again.manifest.keepIdentifiers).toBe(false);
    const loaded = await loadImageSet(again);
    expect(Buffer.from(loaded.images).equals(Buffer.from(set.images))).toBe(true);
    expect(Array.from(loaded.labels)).toEqual(Array.from(set.labels));
    expect(loaded.ids).toEqual(set.ids);
    expect(loaded.split).toEqual(set.split);
  });

  it('refuses a folder without a project, invalid JSON and corrupt blobs, naming the file', async () => {
    const dir = tmp();
    await expect(ProjectStore.open(dir)).rejects.toThrow(/not a project folder/);
    fs.writeFileSync(path.join(dir, MANIFEST_FILE), '{"format": "xray-audit-project"');
    await expect(ProjectStore.open(dir)).rejects.toThrow(/project\.json: not valid JSON/);
    fs.writeFileSync(path.join(dir, MANIFEST_FILE), '{"format": "other"}');
    await expect(ProjectStore.open(dir)).rejects.toThrow(/not a valid project manifest/);

    const dir2 = tmp();
    const store = await ProjectStore.create(dir2, 'x');
    const rec = await saveImageSet(store, select(loadDemoPneumonia(resourcesDir()), [0, 1]), { kind: 'demo', description: 't' });
    const blob = path.join(dir2, rec.pixels.file);
    const bytes = fs.readFileSync(blob);
    bytes[10] ^= 0xff;
    fs.writeFileSync(blob, bytes);
    await expect(ProjectStore.open(dir2)).rejects.toThrow(/corrupt \(hash mismatch\)/);
  });

  it('a mutator that throws leaves the project unchanged', async () => {
    const dir = tmp();
    const store = await ProjectStore.create(dir, 'x');
    await expect(store.update(() => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(store.update((m) => { m.name = ''; })).rejects.toThrow();
    const again = await ProjectStore.open(dir);
    expect(again.manifest.name).toBe('x');
    expect(again.manifest.revision).toBe(0);
    await store.update((m) => { m.name = 'renamed'; });
    expect((await ProjectStore.open(dir)).manifest.name).toBe('renamed');
  });

  describe('crash safety', () => {
    let saver: string;
    beforeAll(() => {
      saver = path.join(tmp(), 'kill-saver.cjs');
      buildSync({ entryPoints: [path.join(__dirname, 'kill-saver.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: saver, external: ['@tensorflow/*'], logLevel: 'error' });
    });

    it('reopens with the last complete state after 50 SIGKILLs at random points', async () => {
      const dir = tmp();
      await ProjectStore.create(dir, 'kill');
      let seed = 12345;
      const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      let lastRevision = 0;
      let kills = 0;
      for (let round = 0; round < 50; round++) {
        const child = fork(saver, [dir], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
        let reported = lastRevision;
        child.on('message', (r) => (reported = Number(r)));
        // Wait for at least one save, then kill at a random moment within the next ~60 ms.
        await new Promise<void>((resolve) => child.once('message', () => resolve()));
        await new Promise((r) => setTimeout(r, rand() * 60));
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
        kills++;
        const store = await ProjectStore.open(dir); // throws if any referenced blob is torn
        const rev = store.manifest.revision;
        expect(rev).toBeGreaterThanOrEqual(reported);
        expect(rev).toBeLessThanOrEqual(reported + 1); // at most the save in flight landed
        const set = await loadImageSet(store);
        expect(set.name).toBe(`rev ${rev}`);
        expect(set.images.every((v) => v === rev % 251)).toBe(true);
        expect(set.attributes.rev[0]).toBe(String(rev));
        lastRevision = rev;
      }
      expect(kills).toBe(50);
      expect(lastRevision).toBeGreaterThan(50);
    });
  });
});
