// Engine benchmark (issue 3): training and inference images/s of one small CNN on each tfjs
// backend, against PyTorch CPU (bench/engine_pytorch.py via /usr/bin/python3) as a yardstick.
// Network: 64x64x1 -> conv 16/32/64 (3x3, stride 2, same, ReLU) -> flatten -> dense 1 -> sigmoid;
// batch 32; Adam. Each tfjs variant runs in its own process (backend selection is per process).
// Usage: npx tsx bench/engine.ts [--seconds 3] [--rounds 3]   (run on an otherwise idle machine)
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { type BackendName, initBackend } from '../src-main/engine/backend';
import { nodeRequire } from '../src-main/engine/backend/node_paths';

const BATCH = 32;
const execFileP = promisify(execFile);
const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};

interface Row {
  engine: string;
  backend: string;
  threads: number | null;
  train_img_s: number | null;
  infer_img_s: number | null;
  note: string;
}

// ---- the network, written for few, large kernels: fused conv+bias+ReLU, fused dense+bias ----

function heNormal(shape: number[], fanIn: number, seed: number): tf.Variable {
  return tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed));
}

function makeNet() {
  const params = {
    w1: heNormal([3, 3, 1, 16], 9, 1), b1: tf.variable(tf.zeros([16])),
    w2: heNormal([3, 3, 16, 32], 144, 2), b2: tf.variable(tf.zeros([32])),
    w3: heNormal([3, 3, 32, 64], 288, 3), b3: tf.variable(tf.zeros([64])),
    wd: heNormal([8 * 8 * 64, 1], 4096, 4), bd: tf.variable(tf.zeros([1])),
  };
  const logits = (x: tf.Tensor4D): tf.Tensor => {
    const conv = (h: tf.Tensor4D, w: tf.Variable, b: tf.Variable) =>
      tf.fused.conv2d({ x: h, filter: w as tf.Tensor4D, strides: 2, pad: 'same', bias: b, activation: 'relu' });
    const h = conv(conv(conv(x, params.w1, params.b1), params.w2, params.b2), params.w3, params.b3);
    return tf.fused.matMul({ a: h.reshape([h.shape[0], -1]) as tf.Tensor2D, b: params.wd as tf.Tensor2D, bias: params.bd });
  };
  return { params, logits };
}

// ---- one variant, measured in this process ----

async function timed(step: () => Promise<void>, warmup: number, seconds: number, minSteps: number, rounds: number): Promise<number> {
  for (let i = 0; i < warmup; i++) await step();
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let steps = 0;
    const t0 = performance.now();
    let elapsed = 0;
    do {
      await step();
      steps++;
      elapsed = (performance.now() - t0) / 1000;
    } while (elapsed < seconds || steps < minSteps);
    best = Math.max(best, (steps * BATCH) / elapsed); // best round: least disturbed by other load
  }
  return best;
}

async function measureVariant(prefer: BackendName, wasmThreads: number | undefined, seconds: number, rounds: number): Promise<Row> {
  const info = await initBackend({ prefer, wasmThreads });
  const slow = info.name === 'cpu';
  const { params, logits } = makeNet();
  const x = tf.randomUniform([BATCH, 64, 64, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
  const y = tf.tensor2d(Array.from({ length: BATCH }, (_, i) => i % 2), [BATCH, 1]);
  const adam = tf.train.adam(1e-3);
  const vars = Object.values(params);
  const trainStep = async () => {
    const loss = adam.minimize(() => tf.losses.sigmoidCrossEntropy(y, logits(x)) as tf.Scalar, true, vars);
    await loss!.data(); // completes the step; read outside tidy
    loss!.dispose();
  };
  const inferStep = async () => {
    const p = tf.tidy(() => tf.sigmoid(logits(x)));
    await p.data();
    p.dispose();
  };
  // The cpu backend needs seconds per step: a couple of steps only.
  const train = slow ? await timed(trainStep, 1, 0, 2, 1) : await timed(trainStep, 5, seconds, 5, rounds);
  const infer = slow ? await timed(inferStep, 1, 0, 3, 1) : await timed(inferStep, 5, seconds, 5, rounds);
  return {
    engine: `tfjs-${info.name}`,
    backend: info.name,
    threads: info.threads,
    train_img_s: train,
    infer_img_s: infer,
    note: info.reason.replace(/; skipped:.*$/, ''),
  };
}

// ---- the driver ----

async function child(prefer: BackendName, threads: number | undefined, seconds: number, rounds: number): Promise<Row | null> {
  const a = [...process.execArgv, __filename, '--variant', prefer, '--threads', String(threads ?? 0), '--seconds', String(seconds), '--rounds', String(rounds)];
  if (!process.execArgv.some((s) => s.includes('tsx'))) a.unshift('--import', 'tsx');
  const { stdout } = await execFileP(process.execPath, a, { maxBuffer: 1 << 20, timeout: 600_000 });
  const line = stdout.trim().split('\n').at(-1) ?? '';
  return line.startsWith('{') ? (JSON.parse(line) as Row) : null;
}

/** One PyTorch run (one round); null values and a note when torch does not import. */
function pytorchOnce(seconds: number): Row {
  const script = path.join(__dirname, 'engine_pytorch.py');
  const none = (why: string): Row => ({ engine: 'pytorch-cpu', backend: 'pytorch', threads: null, train_img_s: null, infer_img_s: null, note: `not available (${why})` });
  try {
    const out = execFileSync('/usr/bin/python3', [script, '--threads', String(os.cpus().length), '--seconds', String(seconds)], { encoding: 'utf8', timeout: 600_000 });
    const res = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { available: boolean; reason?: string; train_img_s: number; infer_img_s: number; threads: number; version: string };
    if (!res.available) return none(res.reason ?? 'torch does not import');
    return { engine: 'pytorch-cpu', backend: 'pytorch', threads: res.threads, train_img_s: res.train_img_s, infer_img_s: res.infer_img_s, note: `torch ${res.version}, all cores` };
  } catch (e) {
    return none((e as Error).message.split('\n')[0]);
  }
}

/** Keeps each engine's best round (least disturbed by other load on the machine) and all rounds. */
function merge(best: Row | undefined, r: Row): Row & { rounds?: Array<[number | null, number | null]> } {
  const rounds = [...((best as { rounds?: Array<[number | null, number | null]> } | undefined)?.rounds ?? []), [r.train_img_s, r.infer_img_s] as [number | null, number | null]];
  const max = (a: number | null | undefined, b: number | null) => (a == null ? b : b == null ? a : Math.max(a, b));
  return { ...(best ?? r), train_img_s: max(best?.train_img_s, r.train_img_s), infer_img_s: max(best?.infer_img_s, r.infer_img_s), rounds };
}

const fmt = (v: number | null, digits = 0) => (v == null ? 'n/a' : v.toFixed(digits));
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a != null && b != null && b > 0 ? a / b : null);

async function main(): Promise<void> {
  const seconds = opt('seconds', 3);
  const rounds = opt('rounds', 3);
  const variant = args.includes('--variant') ? (args[args.indexOf('--variant') + 1] as BackendName) : null;
  if (variant) {
    const threads = opt('threads', 0) || undefined;
    process.stdout.write(`${JSON.stringify(await measureVariant(variant, threads, seconds, rounds))}\n`);
    return;
  }

  const cores = os.cpus().length;
  const load0 = os.loadavg()[0];
  console.error(`engine benchmark: batch ${BATCH}, ${seconds} s per phase, best of ${rounds} interleaved rounds, ${cores} cores, load ${os.loadavg()[0].toFixed(2)}`);
  let tfNode: string | null = null;
  for (const p of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      nodeRequire.resolve(p);
      tfNode = p;
      break;
    } catch {
      /* optional dependency not installed */
    }
  }
  // Rounds interleave the engines, so that a burst of other load does not favour one of them.
  const jobs: Array<[string, () => Promise<Row | null>]> = [
    ['pytorch', async () => pytorchOnce(seconds)],
    ['wasm1', async () => child('wasm', 1, seconds, 1).then((r) => r && { ...r, engine: 'tfjs-wasm (1 thread)' })],
  ];
  if (cores > 1) jobs.push(['wasmN', async () => child('wasm', cores, seconds, 1).then((r) => r && { ...r, engine: `tfjs-wasm (${r.threads} threads)` })]);
  if (tfNode) jobs.push(['tensorflow', async () => child('tensorflow', undefined, seconds, 1)]);
  const best = new Map<string, Row>();
  for (let r = 0; r < rounds; r++) {
    for (const [key, job] of jobs) {
      const row = await job();
      if (!row) continue;
      best.set(key, merge(best.get(key), row));
      console.error(`  round ${r + 1} ${row.engine} threads=${row.threads ?? '-'}: train ${fmt(row.train_img_s)} img/s, infer ${fmt(row.infer_img_s)} img/s`);
    }
  }
  // The cpu backend takes seconds per training step: once, a couple of steps.
  const cpu = await child('cpu', undefined, seconds, 1);
  if (cpu) console.error(`  ${cpu.engine}: train ${fmt(cpu.train_img_s, 1)} img/s, infer ${fmt(cpu.infer_img_s, 1)} img/s`);
  const torch = best.get('pytorch') ?? pytorchOnce(seconds);
  const rows: Row[] = [
    ...['wasm1', 'wasmN', 'tensorflow'].flatMap((k) => best.get(k) ?? []),
    ...(tfNode ? [] : [{ engine: 'tfjs-node', backend: 'tensorflow', threads: null, train_img_s: null, infer_img_s: null, note: 'not installed (optional dependency)' }]),
    ...(cpu ? [cpu] : []),
    torch,
  ];

  const wasmRows = rows.filter((r) => r.backend === 'wasm');
  const bestWasm = (k: 'train_img_s' | 'infer_img_s') => wasmRows.reduce<Row | null>((b, r) => (r[k] != null && (b == null || r[k]! > b[k]!) ? r : b), null);
  const wasmTrain = bestWasm('train_img_s');
  const wasmInfer = bestWasm('infer_img_s');
  const summary = {
    train_wasm_vs_pytorch: ratio(wasmTrain?.train_img_s, torch.train_img_s),
    train_wasm_vs_cpu: ratio(wasmTrain?.train_img_s, cpu?.train_img_s),
    infer_wasm_vs_pytorch: ratio(wasmInfer?.infer_img_s, torch.infer_img_s),
    wasm_train_winner: wasmTrain?.engine ?? null,
    wasm_infer_winner: wasmInfer?.engine ?? null,
  };

  const header = ['engine', 'threads', 'train img/s', 'x PyTorch', 'infer img/s', 'x PyTorch'];
  const table = rows.map((r) => [
    r.engine, String(r.threads ?? '-'), fmt(r.train_img_s, 1), fmt(ratio(r.train_img_s, torch.train_img_s), 3),
    fmt(r.infer_img_s, 1), fmt(ratio(r.infer_img_s, torch.infer_img_s), 3),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const t of table) console.log(line(t));
  for (const r of rows) if (r.train_img_s == null) console.log(`${r.engine}: ${r.note}`);
  console.log(`\nwasm vs PyTorch: training ${fmt(summary.train_wasm_vs_pytorch, 3)}x (${summary.wasm_train_winner}), inference ${fmt(summary.infer_wasm_vs_pytorch, 3)}x (${summary.wasm_infer_winner}); wasm vs tfjs-cpu training ${fmt(summary.train_wasm_vs_cpu, 0)}x`);

  const out = path.join(__dirname, 'results', 'engine.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const machine = { cores, cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version, load1_start: load0, load1_end: os.loadavg()[0], tfjs: tf.version.tfjs };
  fs.writeFileSync(out, `${JSON.stringify({ summary, network: '64x64x1 conv16s2-conv32s2-conv64s2 (3x3 same ReLU) dense1 sigmoid, batch 32, Adam', machine, rows, date: new Date().toISOString() }, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
