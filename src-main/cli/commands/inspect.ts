import { inspectFile } from '../../engine/data/inspect';
import type { CliCommand } from '../command';

export const inspectCommand: CliCommand = {
  name: 'inspect',
  summary: 'Decode image files and print what pydicom-style references record (shape, dtype, sha256, grid8...)',
  usage: 'xray-audit inspect FILE... [--frame N] [--json]',
  options: { frame: { type: 'string', default: '0' } },
  async run(values, files, ctx) {
    if (!files.length) throw new Error('inspect: give one or more files');
    const results = [];
    for (const f of files) {
      const r = await inspectFile(f, Number(values.frame) || 0);
      results.push(r);
      if (r.error) ctx.log(`${r.file}: ERROR ${r.error.kind}: ${r.error.reason}`);
      else {
        const f0 = r.frame0!;
        ctx.log(`${r.file}: ${r.format} ${r.columns}x${r.rows} ${r.photometricInterpretation} ${f0.dtype} frames=${r.numberOfFrames} min=${f0.min} max=${f0.max} mean=${f0.mean.toFixed(3)} sha256=${f0.sha256.slice(0, 16)}…`);
      }
    }
    return results;
  },
};
