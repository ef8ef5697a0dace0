// Every job kind the engine runs. Adding a kind: write its file, register it here, add its
// parameter schema to the API contract (a missing one is a compile error there).
import { JobRegistry } from './registry';
import { selftestJob } from './selftest';
import { importDatasetJob } from './import-dataset';
import { evaluateModelJob } from './evaluate-model';
import { trainClassifierJob } from './train-classifier';
import { exportReportJob } from './export-report';
import { exaggerationMetricsJob } from './exaggeration-metrics';
import { exaggerationSeriesJob } from './exaggeration-series';
import { trainExplainerJob } from './exaggeration-train';
import { invarianceAnalysisJob } from './invariance-analysis';
import { invarianceTrainJob } from './invariance-train';
import { saliencyJob } from './saliency';
import { causalFactorsJob } from './causal-factors';
import { causalFeaturesJob } from './causal-features';
import { confounderSaliencyJob } from './confounder-saliency';
import { causalQueriesJob } from './causal-queries';
import { causalQueriesVerdictJob } from './causal-queries-verdict';

export function createJobRegistry(): JobRegistry {
  const registry = new JobRegistry();
  registry.register(selftestJob);
  registry.register(importDatasetJob);
  registry.register(evaluateModelJob);
  registry.register(trainClassifierJob);
  registry.register(exportReportJob);
  registry.register(exaggerationMetricsJob);
  registry.register(exaggerationSeriesJob);
  registry.register(trainExplainerJob);
  registry.register(invarianceAnalysisJob);
  registry.register(invarianceTrainJob);
  registry.register(saliencyJob);
  registry.register(causalFactorsJob);
  registry.register(causalFeaturesJob);
  registry.register(confounderSaliencyJob);
  registry.register(causalQueriesJob);
  registry.register(causalQueriesVerdictJob);
  return registry;
}
