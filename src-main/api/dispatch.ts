// Validates and routes an API request; both transports call this. Every payload is checked
// against the contract's schema before a handler sees it, and errors return as envelopes.
import { API_METHODS, type ApiMethod } from './channels';
import { ApiSchemas, type ApiResponse, type Envelope } from './contract';
import type { z } from 'zod';
import { toErrorInfo } from '../engine/jobs/errors';

export type ApiHandlers = {
  [M in ApiMethod]: (request: z.infer<(typeof ApiSchemas)[M]['request']>) => Promise<ApiResponse<M>>;
};

const METHOD_SET: ReadonlySet<string> = new Set(API_METHODS);

export function isApiMethod(m: unknown): m is ApiMethod {
  return typeof m === 'string' && METHOD_SET.has(m);
}

export async function dispatch(handlers: ApiHandlers, method: unknown, payload: unknown): Promise<Envelope<unknown>> {
  if (!isApiMethod(method)) {
    return { ok: false, error: { code: 'not_found', message: `Unknown API method '${String(method).slice(0, 64)}'` } };
  }
  const parsed = ApiSchemas[method].request.safeParse(payload ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'invalid_request',
        message: `Invalid request for ${method}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`,
      },
    };
  }
  try {
    const handler = handlers[method] as (r: unknown) => Promise<unknown>;
    return { ok: true, result: await handler(parsed.data) };
  } catch (e) {
    return { ok: false, error: toErrorInfo(e) };
  }
}
