// The model input of a real radiograph is the displayed image, resized: compare it with the
// block means of the display pixels (a resize that scrambles rows or bands fails this).
import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { decodeImage, toDisplay, toGrey8, toModelInput } from '../../../src-main/engine/data/decoders';

const cxr = path.resolve(process.cwd(), '../shared/data/cxr');

describe('toModelInput', () => {
  it.each(['00000001_000.png', '16747_3_1.jpg', 'siim_pneumothorax_sample.dcm'])('%s resizes the displayed image faithfully', async (name) => {
    const img = await decodeImage({ path: path.join(cxr, name) });
    const shown = toDisplay(img);
    const grey = toGrey8(shown);
    const size = 32;
    const x = await toModelInput(img, size);
    expect(x.length).toBe(size * size);
    let err = 0;
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const y0 = Math.floor((r * shown.height) / size), y1 = Math.floor(((r + 1) * shown.height) / size);
        const x0 = Math.floor((c * shown.width) / size), x1 = Math.floor(((c + 1) * shown.width) / size);
        let s = 0;
        for (let y = y0; y < y1; y++) for (let xx = x0; xx < x1; xx++) s += grey[y * shown.width + xx];
        err += Math.abs(s / ((y1 - y0) * (x1 - x0)) / 255 - x[r * size + c]);
      }
    }
    expect(err / (size * size)).toBeLessThan(0.03);
  });
});
