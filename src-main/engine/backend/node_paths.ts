// Package-file resolution that works both from source (vitest, tsx: ESM or CJS) and from the
// electron-vite CommonJS bundle (node_modules externalized): anchor a require at this module.
import { createRequire } from 'node:module';
import path from 'node:path';

export const nodeRequire: NodeRequire = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);

/** Directory of an installed package, e.g. '@tensorflow/tfjs-backend-wasm'. */
export function packageDir(name: string): string {
  return path.dirname(nodeRequire.resolve(`${name}/package.json`));
}
