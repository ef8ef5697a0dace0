// Per-user app state outside projects: recent projects and where the demo project lives.
// XRAY_AUDIT_HOME overrides the folder (tests, portable installs).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './project/atomic';

export function appHome(): string {
  return process.env.XRAY_AUDIT_HOME ?? path.join(os.homedir(), '.xray-audit');
}

const RecentSchema = z.array(z.object({ dir: z.string(), name: z.string(), openedAt: z.string() }));
export type RecentProject = z.infer<typeof RecentSchema>[number];

const recentFile = (): string => path.join(appHome(), 'recent.json');

export async function readRecent(): Promise<RecentProject[]> {
  try {
    const parsed = RecentSchema.safeParse(JSON.parse(await fs.promises.readFile(recentFile(), 'utf8')));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export async function rememberProject(dir: string, name: string): Promise<void> {
  const list = (await readRecent()).filter((r) => r.dir !== dir);
  list.unshift({ dir, name, openedAt: new Date().toISOString() });
  await fs.promises.mkdir(appHome(), { recursive: true });
  await writeFileAtomic(recentFile(), JSON.stringify(list.slice(0, 20), null, 2));
}

/** Versioned, so that a demo project made by an older release is not reused. */
export const demoProjectDir = (): string => path.join(appHome(), 'projects', 'demo-v3');
