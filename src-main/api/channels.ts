// The closed set of API method and event names. Plain constants with no imports, so the
// sandboxed preload can bundle them without pulling in schemas.
export const API_METHODS = [
  'app.info',
  'jobs.submit',
  'jobs.cancel',
  'jobs.list',
  'jobs.get',
  'projects.recent',
  'projects.current',
  'projects.create',
  'projects.open',
  'projects.openDemo',
  'dataset.items',
  'dataset.thumbnails',
  'dataset.previewImport',
  'model.current',
  'model.attach',
  'model.attachDemo',
  'model.attachTrained',
  'model.evaluation',
  'bias.confounderSaliency',
  'bias.exaggeration',
  'causalFeatures.latest',
  'report.list',
  'report.file',
  'report.printPdf',
  'image.view',
  'causalQueries.list',
  'causalQueries.batch',
  'causalQueries.answer',
  'explainers.list',
  'invariance.saved',
  'invariance.analysis',
  'causalFactors.latest',
] as const;
export const API_EVENTS = ['job.update'] as const;

export type ApiMethod = (typeof API_METHODS)[number];
export type ApiEvent = (typeof API_EVENTS)[number];

/** IPC channel of a method (Electron transport). */
export const ipcChannel = (m: ApiMethod): string => `xa:${m}`;
/** IPC channel of an event (Electron transport). */
export const ipcEventChannel = (e: ApiEvent): string => `xa-event:${e}`;
