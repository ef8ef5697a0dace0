// Report section: saliency mass on the declared confounder (the Bias screen's measurement), from
// the latest result saved for the current classifier.
import { CONFOUNDER_ARTEFACT, savedConfounderSaliency } from '../../jobs/confounder-saliency';
import { registerReportProvider } from '../providers';

const pct = (v: number | null): string => (v === null ? '—' : `${(100 * v).toFixed(1)}%`);

registerReportProvider({
  id: 'confounder-saliency',
  async section({ store }) {
    const r = await savedConfounderSaliency(store);
    if (!r) return null;
    const strongest = [...r.methods].sort((a, b) => (b.ratio ?? 0) - (a.ratio ?? 0))[0];
    const leans = r.methods.filter((m) => m.share.lo !== null && m.share.lo > 2 * r.regionArea);
    return {
      id: 'confounder-saliency',
      title: `Saliency mass on the confounder '${r.attribute}'`,
      paragraphs: [
        `On ${r.images} ${r.split} images with ${r.attribute} = ${r.present}, the confounder's region covers ${pct(r.regionArea)} of the image: a classifier that ignores it would put about that share of its evidence for ${r.target} there.`,
        `${strongest.label} puts ${pct(strongest.share.value)} (95% CI ${pct(strongest.share.lo)}–${pct(strongest.share.hi)}) of its positive attribution inside the region, ${strongest.ratio?.toFixed(1) ?? '—'} times the area.`,
        leans.length
          ? `Finding: by ${leans.map((m) => m.label).join(', ')}, the classifier's evidence concentrates on the confounder (lower interval bound above twice the area).`
          : 'No method shows the evidence concentrating on the confounder (no lower interval bound above twice the area).',
      ],
      findings: [
        leans.length
          ? `The classifier's evidence concentrates on the confounder '${r.attribute}': ${strongest.label} puts ${pct(strongest.share.value)} of it in a region covering ${pct(r.regionArea)} of the image (${strongest.ratio?.toFixed(1)}x).`
          : `Saliency maps show no concentration of evidence on the confounder '${r.attribute}' (largest share ${pct(strongest.share.value)} for a region of ${pct(r.regionArea)}).`,
      ],
      tables: [
        {
          caption: 'Share of positive saliency inside the region (mean over images, 95% bootstrap interval) and effective heat ratio',
          header: ['Method', 'Share', 'Lower', 'Upper', '× area', 'EHR'],
          rows: r.methods.map((m) => [m.label, m.share.value, m.share.lo, m.share.hi, m.ratio, m.ehr.value]),
        },
      ],
      strips: r.examples.map((ex, i) => ({
        title: `Example ${i + 1}`,
        frames: [{ image: ex.image, caption: 'image' }, ...ex.maps.map((m) => ({ image: m.png, caption: m.method }))],
      })),
      data: { ...r, examples: undefined },
    };
  },
  methods({ store }) {
    if (!store.manifest.artefacts[CONFOUNDER_ARTEFACT]) return [];
    return [{ name: 'Saliency mass on a declared confounder', settings: {}, reference: 'share of positive attribution inside the region; EHR: Zhang et al. 2021 (seed 002)' }];
  },
});
