// Starts `xray-audit serve --json` from the built app and returns its login URL.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export interface ServedApp {
  url: string;
  loginUrl: string;
  port: number;
  stop(): Promise<void>;
}

export async function serveBuiltApp(env: NodeJS.ProcessEnv = {}): Promise<ServedApp> {
  const bin = path.resolve(__dirname, '../../bin/xray-audit.js');
  const child: ChildProcess = spawn(process.execPath, [bin, 'serve', '--json'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const doc = await new Promise<{ url: string; loginUrl: string; port: number }>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(buf.slice(0, nl)));
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return {
    ...doc,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
