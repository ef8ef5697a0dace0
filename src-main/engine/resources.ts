// Where the bundled resources and demo models live, from source (tests, tsx) or from the
// bundle in out/main (app, CLI): both are found by walking up to the package root.
import * as fs from 'node:fs';
import * as path from 'node:path';

let root: string | null = null;

export function packageRoot(): string {
  if (root) return root;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'xray-audit') return (root = dir);
    dir = path.dirname(dir);
  }
  throw new Error('xray-audit package root not found');
}

export const resourcesDir = (): string => path.join(packageRoot(), 'resources');
export const modelsDir = (): string => path.join(packageRoot(), 'models');
