// Backend ladder: tensorflow (tfjs-node-gpu / tfjs-node) -> wasm -> cpu.
// Override with XRAY_AUDIT_BACKEND=tensorflow|wasm|cpu or the `prefer` option.
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  /** The active tfjs backend. */
  name: BackendName;
  /** Why this backend was chosen (and why the ones above it were skipped). */
  reason: string;
  /** Threads the backend computes with. */
  threads: number;
  tfjsVersion: string;
}

export interface BackendOptions {
  prefer?: BackendName;
}

let active: BackendInfo | null = null;

/** Selects and initialises the compute backend once per process (idempotent). */
export async function initBackend(opts: BackendOptions = {}): Promise<BackendInfo> {
  if (active) return active;
  const prefer = opts.prefer ?? (process.env.XRAY_AUDIT_BACKEND as BackendName | undefined);
  const skipped: string[] = [];
  if (!prefer || prefer === 'wasm') {
    try {
      await import('@tensorflow/tfjs-backend-wasm');
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        active = { name: 'wasm', reason: reasonText(prefer, skipped, 'wasm'), threads: 1, tfjsVersion: tf.version.tfjs };
        return active;
      }
      skipped.push('wasm: setBackend failed');
    } catch (e) {
      skipped.push(`wasm: ${(e as Error).message}`);
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  active = { name: 'cpu', reason: reasonText(prefer, skipped, 'cpu'), threads: 1, tfjsVersion: tf.version.tfjs };
  return active;
}

function reasonText(prefer: string | undefined, skipped: string[], chosen: string): string {
  const head = prefer ? `requested ${prefer} (XRAY_AUDIT_BACKEND or setting)` : `first available of tensorflow, wasm, cpu`;
  return skipped.length ? `${head}; ${chosen} chosen; skipped: ${skipped.join('; ')}` : `${head}; ${chosen} chosen`;
}

export function activeBackend(): BackendInfo | null {
  return active;
}
