// Report sections contributed by the analyses: each file registers one provider
// (registerReportProvider) when imported; export-report imports this index.
export {};
import './saliency';
