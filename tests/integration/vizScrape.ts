/**
 * linkerd-viz's own Prometheus scrape job for the proxies, rendered from the chart's template as Helm renders it
 * with the default values (`proxyContainerName` unset, `linkerdNamespace: linkerd`, no `metricRelabelConfigs`),
 * its Kubernetes pod discovery swapped for the file_sd targets the generator writes with the same
 * `__meta_kubernetes_*` labels.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const TEMPLATE = join(__dirname, 'testdata/linkerd-viz-prometheus.yaml');

export interface ScrapeJob {
  job_name: string;
  relabel_configs: unknown[];
  [key: string]: unknown;
}

/** The `linkerd-proxy` job of the template's prometheus.yml, with Helm's default values filled in. */
export function vizProxyJob(): ScrapeJob {
  const lines = readFileSync(TEMPLATE, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith("    - job_name: 'linkerd-proxy'"));
  const end = lines.findIndex((l, i) => i > start && /^ {4}(- job_name:|\{\{)/.test(l));
  const block = lines
    .slice(start, end)
    // The block's own template directives only add optional settings left at their defaults.
    .filter((l) => !/^\s*\{\{-? (if|end|toYaml)/.test(l.trim()) && !/^\s*\{\{/.test(l))
    .filter((l) => !/^\s*metric_relabel_configs:\s*$/.test(l))
    .map((l) => l.slice(4))
    .join('\n')
    .replace('{{default .Values.proxyContainerName "linkerd-proxy" .Values.proxyContainerName}}', 'linkerd-proxy')
    .replace('{{.Values.linkerdNamespace}}', 'linkerd');
  if (block.includes('{{')) {
    throw new Error(`the linkerd-proxy job still holds template code: ${block}`);
  }
  const [job] = parse(block) as ScrapeJob[];
  return job;
}

/** The job scraping the generator's proxies every `intervalSeconds`, from file_sd instead of pod discovery. */
export function localVizJob(sdFile: string, intervalSeconds: number): ScrapeJob {
  const { kubernetes_sd_configs: _discovery, ...job } = vizProxyJob();
  return {
    ...job,
    scrape_interval: `${intervalSeconds}s`,
    file_sd_configs: [{ files: [sdFile], refresh_interval: '1s' }],
  };
}
