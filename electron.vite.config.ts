import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  main: {
    // Node targets: dependencies stay in node_modules (tfjs, sharp, codecs load their binaries).
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/app/index.ts'),
          'engine-worker': resolve(__dirname, 'src-main/engine/worker.ts'),
          cli: resolve(__dirname, 'src-main/cli/index.ts'),
        },
      },
    },
  },
  preload: {
    // The sandboxed preload cannot require packages: bundle everything it imports.
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(__dirname, 'src-main/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [vue()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'src-renderer/index.html') },
    },
  },
});
