/**
 * Prints the gzip size of the initial module.js and of the lazy chunks, and fails when module.js is over
 * its budget (200 KB gzip): Grafana loads module.js for every page, the app's pages load on demand.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 200 * 1024;
const dist = join(__dirname, '..', 'dist');
const gzip = (file: string) => gzipSync(readFileSync(join(dist, file))).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const moduleJs = gzip('module.js');
const chunks = readdirSync(dist).filter((f) => f.endsWith('.js') && f !== 'module.js');
const lazy = chunks.reduce((sum, f) => sum + gzip(f), 0);
process.stdout.write(`module.js: ${kb(moduleJs)} gzip (budget ${kb(BUDGET_BYTES)})\n`);
process.stdout.write(`lazy chunks: ${chunks.length} files, ${kb(lazy)} gzip in all\n`);
if (moduleJs > BUDGET_BYTES) {
  process.stderr.write('module.js is over its budget: move the code it pulls in behind a lazy import\n');
  process.exit(1);
}
