// The engine's open project and its image set, cached in the worker (one project at a time).
import type { ImageSet } from './data/image-set';
import { loadImageSet } from './project/dataset-io';
import { ProjectStore } from './project/store';
import { EngineError } from './jobs/errors';
import { rememberProject } from './config';

let store: ProjectStore | null = null;
let images: ImageSet | null = null;
let imagesRevisionKey = '';

export async function openProject(dir: string): Promise<ProjectStore> {
  const s = await ProjectStore.open(dir);
  store = s;
  images = null;
  await rememberProject(dir, s.manifest.name);
  return s;
}

export async function createProject(dir: string, name: string, keepIdentifiers = false): Promise<ProjectStore> {
  const s = await ProjectStore.create(dir, name, { keepIdentifiers });
  store = s;
  images = null;
  await rememberProject(dir, name);
  return s;
}

export function currentProject(): ProjectStore | null {
  return store;
}

export function requireProject(): ProjectStore {
  if (!store) throw new EngineError('not_found', 'No project is open: create or open one first (Projects screen, or --project DIR)');
  return store;
}

/** The open project's image set, loaded once per dataset version. */
export async function projectImages(): Promise<ImageSet> {
  const s = requireProject();
  const key = s.manifest.dataset?.contentHash ?? '';
  if (!images || key !== imagesRevisionKey) {
    images = await loadImageSet(s);
    imagesRevisionKey = key;
  }
  return images;
}
