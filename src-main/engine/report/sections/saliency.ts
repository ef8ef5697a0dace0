// Saliency maps beside each selected case of the report: the export's chosen methods (papers'
// defaults), explaining the positive class, drawn over the image. Reference images for the
// bottleneck methods are drawn once per export and released when the job ends.
import { saliencyMethods, disposeReference, type ReferenceImages } from '../../explain/saliency';
import { referenceImages } from '../../jobs/saliency';
import { overlayPng, pngDataUrl } from '../../explain/saliency/render';
import { imageBatch } from '../../models/batches';
import type { SaliencyMethodId } from '../../../api/schemas/saliency';
import { registerReportProvider, type ReportContext } from '../providers';

const REFERENCE_IMAGES = 64;
const PANEL_SIDE = 96;

const REFERENCES: Record<SaliencyMethodId, string> = {
  gradient: 'Simonyan et al. 2014',
  'gradient-x-input': 'Shrikumar et al. 2016',
  smoothgrad: 'Smilkov et al. 2017',
  'integrated-gradients': 'Sundararajan et al. 2017',
  'grad-cam': 'Selvaraju et al. 2017',
  occlusion: 'Zeiler & Fergus 2014',
  iba: 'Schulz et al. 2020 (seed 002)',
  'input-iba': 'Zhang et al. 2021 (seed 002)',
};

let reference: { rc: ReportContext; ref: ReferenceImages } | null = null;

function referenceFor(rc: ReportContext): ReferenceImages {
  if (reference?.rc === rc) return reference.ref;
  if (reference) disposeReference(reference.ref);
  reference = { rc, ref: referenceImages(rc.images, REFERENCE_IMAGES, rc.model.inputSize, 1) };
  return reference.ref;
}

registerReportProvider({
  id: 'saliency',
  async casePanels(rc, index) {
    const { model } = rc;
    const methods = rc.options.saliency.map((id) => saliencyMethods.get(id)).filter((m) => !m.needsLayers || model.hasLayers);
    if (!methods.length) return [];
    const x = imageBatch(rc.images, [index], model.inputSize);
    try {
      const pixels = (await x.data()) as Float32Array;
      const panels = [];
      for (const m of methods) {
        const ref = m.needsReference ? referenceFor(rc) : undefined;
        const out = await m.attribute({ model, x, targets: [model.positiveClass], reference: ref }, {} as never, { checkpoint: () => rc.ctx.checkpoint() });
        const png = await overlayPng(pixels, out.maps[0], model.inputSize, { unit: true, colormap: m.signed ? 'bwr' : 'inferno', side: PANEL_SIDE });
        panels.push({ title: m.label, image: pngDataUrl(png), caption: `for ${model.classNames[model.positiveClass]}` });
      }
      return panels;
    } finally {
      x.dispose();
    }
  },
  methods(rc) {
    return rc.options.saliency.map((id) => {
      const m = saliencyMethods.get(id);
      return { name: `${m.label} (case panels, positive class)`, settings: m.settingsSchema.parse({}) as Record<string, unknown>, reference: REFERENCES[id] };
    });
  },
});
