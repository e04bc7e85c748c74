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

/** Compose's `${VAR:-default}` with the variable unset, as on a fresh clone. */
export function withDefaults(value: string): string {
  return value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
}

/** The value of a service's `-name=value` or `--name=value` argument. */
export function commandFlag(service: ComposeService, name: string): string | undefined {
  const arg = service.command?.find((a) => a.startsWith(`-${name}=`) || a.startsWith(`--${name}=`));
  return arg?.slice(arg.indexOf('=') + 1);
}

/** Where a path inside a service's container comes from on this machine, through the service's bind mounts. */
export function hostPathOf(service: ComposeService, containerPath: string): string | undefined {
  for (const entry of service.volumes ?? []) {
    const [source, target] = withDefaults(entry).split(':');
    if (source.startsWith('.') && (containerPath === target || containerPath.startsWith(`${target}/`))) {
      return join(ROOT, source, containerPath.slice(target.length));
    }
  }
  return undefined;
}
