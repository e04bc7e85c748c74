import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isSeq, parse, parseDocument, Scalar, type Pair, type YAMLMap } from 'yaml';

const COLLECTOR_DIR = join(__dirname, '../../provisioning/collector');
/** The article's pipeline for a Kubernetes cluster: what users deploy. */
const KUBERNETES_CONFIG = join(COLLECTOR_DIR, 'otel-collector.yaml');
/** The same pipeline for docker-compose, generated from KUBERNETES_CONFIG by `npm run collector:demo`. */
export const DEMO_CONFIG = join(COLLECTOR_DIR, 'otel-collector.demo.yaml');
/** Where the compose stack's generator writes its file_sd targets (a volume shared with the Collector). */
export const DEMO_TARGETS_FILE = '/discovery/proxies.json';

const HEADER = `Generated from otel-collector.yaml by \`npm run collector:demo\`: do not edit, edit that file instead.

The docker-compose demo has no Kubernetes API, so only discovery differs: the scenario generator lists its fake
proxies in ${DEMO_TARGETS_FILE} with the __meta_kubernetes_* labels pod discovery would give them, and every
relabel rule, processor, exporter and pipeline below runs exactly as in the cluster.
`;

function meshScrapeJobNodes(doc: ReturnType<typeof parseDocument>): YAMLMap[] {
  const jobs = doc.getIn(['receivers', 'prometheus/mesh', 'config', 'scrape_configs']);
  if (!isSeq(jobs) || jobs.items.length === 0 || !jobs.items.every(isMap)) {
    throw new Error('receivers["prometheus/mesh"].config.scrape_configs is missing from otel-collector.yaml');
  }
  return jobs.items as YAMLMap[];
}

/** The demo config: the Kubernetes one with each scrape job's kubernetes_sd_configs replaced by file_sd_configs. */
export function demoCollectorConfig(kubernetesYaml: string): string {
  const doc = parseDocument(kubernetesYaml);
  for (const job of meshScrapeJobNodes(doc)) {
    const pair = job.items.find((p: Pair) => p.key instanceof Scalar && p.key.value === 'kubernetes_sd_configs');
    if (!pair) {
      throw new Error('a prometheus/mesh scrape job has no kubernetes_sd_configs to replace');
    }
    const fileSd = doc.createPair('file_sd_configs', [{ files: [DEMO_TARGETS_FILE], refresh_interval: '30s' }]);
    job.items.splice(job.items.indexOf(pair), 1, fileSd);
  }
  const header = HEADER.split('\n').map((line) => (line ? ` ${line}` : line));
  doc.commentBefore = [...header, doc.commentBefore ?? ''].join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

export function readDemoConfigs(): { expected: string; actual: string } {
  return {
    expected: demoCollectorConfig(readFileSync(KUBERNETES_CONFIG, 'utf8')),
    actual: readFileSync(DEMO_CONFIG, 'utf8'),
  };
}

export type ScrapeConfig = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The Collector escapes a literal `$` as `$$`; Prometheus reads the unescaped text. */
function unescapeDollars(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\$/g, '$');
  }
  if (Array.isArray(value)) {
    return value.map(unescapeDollars);
  }
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescapeDollars(v)]));
  }
  return value;
}

/** The `prometheus/mesh` receiver's scrape jobs as Prometheus reads them (`$$` unescaped). */
export function meshScrapeJobs(yamlText: string, what: string): ScrapeConfig[] {
  const doc: unknown = parse(yamlText);
  const receiver = isRecord(doc) && isRecord(doc.receivers) ? doc.receivers['prometheus/mesh'] : undefined;
  const jobs = isRecord(receiver) && isRecord(receiver.config) ? receiver.config.scrape_configs : undefined;
  if (!Array.isArray(jobs) || jobs.length === 0 || !jobs.every(isRecord)) {
    throw new Error(`${what}: receivers["prometheus/mesh"].config.scrape_configs is missing`);
  }
  return jobs.map((job) => unescapeDollars(job) as ScrapeConfig);
}

/**
 * A demo scrape job for a local Prometheus: the same job reading the test's file_sd file, scraped faster.
 * Throws unless the job discovers through the demo's targets file, so a test cannot run another discovery.
 */
export function localScrapeJob(job: ScrapeConfig, sdFile: string, scrapeIntervalSeconds: number): ScrapeConfig {
  const { file_sd_configs: discovery, ...rest } = job;
  const files = Array.isArray(discovery) && discovery.length === 1 && isRecord(discovery[0]) ? discovery[0].files : [];
  if (!Array.isArray(files) || files.length !== 1 || files[0] !== DEMO_TARGETS_FILE) {
    throw new Error(
      `the demo scrape job must discover through ${DEMO_TARGETS_FILE}, found ${JSON.stringify(discovery)}`
    );
  }
  return { ...rest, scrape_interval: `${scrapeIntervalSeconds}s`, file_sd_configs: [{ files: [sdFile] }] };
}
