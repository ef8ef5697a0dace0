// The API's implementation over an engine host. Transport-independent.
import pkg from '../../package.json';
import type { AppInfo } from './contract';
import type { ApiHandlers } from './dispatch';
import type { EngineHost } from '../engine/host';
import { createJobRegistry } from '../engine/jobs/all';
import { FORWARDED_METHODS, type ForwardedMethod } from '../engine/protocol';

export function createHandlers(host: EngineHost, transport: AppInfo['transport']): ApiHandlers {
  const registry = createJobRegistry();
  return {
    'app.info': async () => ({
      name: pkg.name,
      version: pkg.version,
      transport,
      backend: await host.backend(),
      platform: `${process.platform}-${process.arch}`,
      node: process.versions.node,
    }),
    'jobs.submit': async (req) => host.submit(req.kind, req.params, registry.get(req.kind).title(req.params as never)),
    'jobs.cancel': async ({ id }) => host.cancel(id),
    'jobs.list': async () => host.list(),
    'jobs.get': async ({ id }) => host.get(id),
    ...forwarded(host),
  };
}

/** Methods the engine worker answers: passed through unchanged (already validated). */
function forwarded(host: EngineHost): Pick<ApiHandlers, ForwardedMethod> {
  const out: Partial<Record<ForwardedMethod, (req: never) => Promise<unknown>>> = {};
  for (const m of FORWARDED_METHODS) out[m] = (req: never) => host.call(m, req);
  return out as Pick<ApiHandlers, ForwardedMethod>;
}
