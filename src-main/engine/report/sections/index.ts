// Report sections contributed by the analyses: each file registers one provider
// (registerReportProvider) when imported; export-report imports this index.
export {};
import './saliency';
import './exaggeration';
import './invariances';
import './causal-factors';
import './causal-features';
import './confounder';
