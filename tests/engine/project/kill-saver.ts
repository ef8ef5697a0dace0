// Child process for the kill test: saves the project over and over, each save a new image
// set whose every pixel equals the revision (so a torn write would show), until killed.
import { ProjectStore } from '../../../src-main/engine/project/store';
import { saveImageSet } from '../../../src-main/engine/project/dataset-io';

async function main(): Promise<void> {
  const dir = process.argv[2];
  const store = await ProjectStore.open(dir);
  const size = 64;
  for (;;) {
    const rev = store.manifest.revision + 1;
    const n = 50;
    const images = new Uint8Array(n * size * size).fill(rev % 251);
    await saveImageSet(store, {
      name: `rev ${rev}`,
      size,
      images,
      labels: new Int32Array(n).fill(rev % 2),
      classNames: ['a', 'b'],
      positiveClass: 1,
      ids: Array.from({ length: n }, (_, i) => `img-${i}`),
      split: Array.from({ length: n }, () => 'train' as const),
      attributes: { rev: Array.from({ length: n }, () => String(rev)) },
    }, { kind: 'demo', description: 'kill test' });
    if (process.send) process.send(store.manifest.revision);
    if (store.manifest.revision % 5 === 0) await store.collectGarbage();
  }
}
void main();
