import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The repository's root. */
export const REPO_ROOT = join(__dirname, '..', '..');

export type Doc = Record<string, unknown>;

export function isRecord(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A YAML file of the repository (compose, provisioning) as a mapping; anything else is an error. */
export function readYaml(path: string): Doc {
  const doc: unknown = parse(readFileSync(join(REPO_ROOT, path), 'utf8'));
  if (!isRecord(doc)) {
    throw new Error(`${path} is not a YAML mapping`);
  }
  return doc;
}
