import pkg from '../../../package.json';
import type { CliCommand } from '../command';

export const infoCommand: CliCommand = {
  name: 'info',
  summary: 'Print the version and the active compute backend',
  usage: 'xray-audit info [--json]',
  options: {},
  async run(_v, _p, ctx) {
    const backend = await ctx.engine().backend();
    const info = { name: pkg.name, version: pkg.version, backend, node: process.versions.node, platform: `${process.platform}-${process.arch}` };
    ctx.log(`${pkg.name} ${pkg.version}`);
    ctx.log(`backend: ${backend.name} (${backend.threads} thread${backend.threads === 1 ? '' : 's'}, tfjs ${backend.tfjsVersion})`);
    ctx.log(`why: ${backend.reason}`);
    return info;
  },
};
