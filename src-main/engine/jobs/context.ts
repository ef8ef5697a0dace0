// What a running job sees: a progress reporter and a cancellation signal.
import { CancelledError } from './errors';

export interface ProgressUpdate {
  stage: string;
  /** 0..1 of the whole job. */
  fraction: number;
  metrics?: Record<string, number>;
}

export interface JobContext {
  readonly signal: AbortSignal;
  /** Reports progress; cheap to call often (the worker throttles messages). */
  progress(update: ProgressUpdate): void;
  /** Throws CancelledError once cancel was requested. */
  throwIfCancelled(): void;
  /**
   * Yields to the event loop so that a cancel message can arrive, then throws if cancelled.
   * Long loops call this between steps.
   */
  checkpoint(): Promise<void>;
}

export function createJobContext(signal: AbortSignal, report: (u: ProgressUpdate) => void): JobContext {
  const throwIfCancelled = (): void => {
    if (signal.aborted) throw new CancelledError();
  };
  return {
    signal,
    progress: report,
    throwIfCancelled,
    checkpoint: () =>
      new Promise<void>((resolve, reject) =>
        setImmediate(() => (signal.aborted ? reject(new CancelledError()) : resolve())),
      ),
  };
}
