// Typed engine errors: they cross the worker and transport boundaries as plain data.
import type { EngineErrorInfo } from '../../api/contract';

export class EngineError extends Error {
  readonly code: EngineErrorInfo['code'];
  readonly details?: string;
  constructor(code: EngineErrorInfo['code'], message: string, details?: string) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.details = details;
  }
}

export class CancelledError extends EngineError {
  constructor() {
    super('cancelled', 'Cancelled by the user');
    this.name = 'CancelledError';
  }
}

/** Converts anything thrown into the wire form; unknown errors keep their stack as details. */
export function toErrorInfo(e: unknown): EngineErrorInfo {
  if (e instanceof EngineError) return { code: e.code, message: e.message, details: e.details };
  if (e instanceof Error) return { code: 'internal', message: e.message || e.name, details: e.stack };
  return { code: 'internal', message: String(e) };
}
