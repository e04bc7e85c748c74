/** The reference stack's files as the stack tests read them: docker-compose.yaml and the Dockerfile. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const ROOT = join(__dirname, '../..');

export interface ComposeService {
  image?: string;
  build?: { context: string; target: string };
  command?: string[];
  volumes?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export function readCompose(): ComposeFile {
  return parse(readFileSync(join(ROOT, 'docker-compose.yaml'), 'utf8')) as ComposeFile;
}

export function readDockerfile(): string {
  return readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
}

/** The generator stage of the Dockerfile, from its FROM line on. */
export function generatorStage(dockerfile = readDockerfile()): string {
  return dockerfile.slice(dockerfile.indexOf('AS generator'));
}

/** The generator image's ENTRYPOINT, e.g. `["node", "/mesh-lens/generator.js"]`. */
export function generatorEntrypoint(dockerfile = readDockerfile()): string[] {
  const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(generatorStage(dockerfile));
  if (!entrypoint) {
    throw new Error('the Dockerfile’s generator stage has no ENTRYPOINT');
  }
  return JSON.parse(entrypoint[1]) as string[];
}
