// Analyses contribute to the report through providers: a section of their own, panels for the
// selected cases, and the methods they ran. One config object per analysis, in a Map.
import type { SaliencyMethodId } from '../../api/schemas/saliency';
import type { ImageSet } from '../data/image-set';
import type { AuditedModel } from '../models/audited-model';
import type { ProjectStore } from '../project/store';
import type { JobContext } from '../jobs/context';
import type { ReportModel, ReportSection } from './model';

export interface ReportContext {
  store: ProjectStore;
  images: ImageSet;
  model: AuditedModel;
  ctx: JobContext;
  /** The export's options that concern the analyses. */
  options: { saliency: SaliencyMethodId[] };
}

export interface ReportProvider {
  id: string;
  /** A report section, or null when the analysis has nothing to say for this project. */
  section?(rc: ReportContext): Promise<ReportSection | null>;
  /** Panels (maps, series frames) for one selected case. */
  casePanels?(rc: ReportContext, index: number): Promise<{ title: string; image: string; caption?: string }[]>;
  methods?(rc: ReportContext): ReportModel['methods'];
}

const providers = new Map<string, ReportProvider>();

export function registerReportProvider(p: ReportProvider): void {
  if (providers.has(p.id)) throw new Error(`Report provider '${p.id}' is already registered`);
  providers.set(p.id, p);
}

export function reportProviders(): ReportProvider[] {
  return [...providers.values()];
}
