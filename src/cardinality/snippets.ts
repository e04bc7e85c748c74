/**
 * Copyable OpenTelemetry Collector configuration for a drop selection, both ways the article names:
 *   - scrape time: `metric_relabel_configs` in the `prometheus/mesh` receiver's scrape job;
 *   - after the scrape: an OTTL `filter` processor (families) and `transform` processor (labels) in the mesh pipeline.
 *
 * Every string is emitted as a single-quoted YAML scalar with `$` doubled (the Collector expands `${…}` in its
 * configuration; `$$` is a literal dollar sign), OTTL string literals escape `\` and `"`, relabel regexes are
 * RE2-escaped; label names may be any stored name (dots and unicode included), written as strings everywhere.
 */
import { assertStoredLabelName, escapeRegex, isClassicLabelName } from '../query/promql';
import { blockedReason } from './budget';
import { keptFamilies } from './families';
import type { CardinalityReport, DropSelection } from './types';

export type SnippetMethod = 'scrape-time' | 'ottl';

export interface SnippetOptions {
  /** The receiver scraping the proxies (default `prometheus/mesh`). */
  receiver?: string;
  /** Its scrape job (default `linkerd-proxy`). */
  jobName?: string;
  /** The mesh metrics pipeline (default `metrics/mesh`). */
  pipeline?: string;
  /** The pipeline's current processors, in order (default `memory_limiter`, `batch`); new ones go before `batch`. */
  pipelineProcessors?: string[];
  /** Suffix of the generated processors' names: `filter/<name>`, `transform/<name>` (default `meshlens-budget`). */
  processorName?: string;
  /** The receiver's `trim_metric_suffixes`: counters are then named without `_total` inside the Collector. */
  trimMetricSuffixes?: boolean;
  /** When given, drops that merge series are called out with the report's numbers. */
  report?: CardinalityReport;
}

export interface SkippedDrop {
  what: string;
  reason: string;
}

export interface CollectorSnippet {
  method: SnippetMethod;
  title: string;
  /** One line: what this way of dropping costs. */
  note: string;
  /** Collector configuration to merge into the existing file. */
  yaml: string;
  /** Parts of the selection this snippet leaves out, and why. */
  skipped: SkippedDrop[];
  /** Things to know before applying it. */
  caveats: string[];
}

/** One `metric_relabel_configs` entry, with plain (not yet Collector-escaped) strings. */
export interface RelabelRule {
  source_labels?: string[];
  regex: string;
  target_label?: string;
  replacement?: string;
  action: 'drop' | 'labeldrop' | 'replace';
}

export const SCRAPE_TIME_NOTE =
  'Scrape time: dropped series and labels never enter the pipeline, so the Collector spends no CPU or memory on ' +
  'them, but the rules see only each series’ own labels.';
export const OTTL_NOTE =
  'OTTL processors: the samples are scraped and parsed first (Collector CPU and memory) and dropped afterwards, ' +
  'but the conditions can key on resource attributes and work for any receiver.';

const APP_REASON =
  'app metrics reach the Collector over OTLP, not through the proxy scrape, with OTel names and attributes; ' +
  'drop them in the app pipeline or in the SDK’s views';
const HISTOGRAM_REASON =
  'in the Collector a histogram is one metric: its _bucket, _sum and _count series cannot be dropped one by one ' +
  '(drop all three, or use the scrape-time rules)';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const COMPONENT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;

const DEFAULTS = {
  receiver: 'prometheus/mesh',
  jobName: 'linkerd-proxy',
  pipeline: 'metrics/mesh',
  pipelineProcessors: ['memory_limiter', 'batch'],
  processorName: 'meshlens-budget',
};

export function assertMetricName(name: string): string {
  if (!METRIC_NAME.test(name)) {
    throw new Error(`"${name}" is not a valid Prometheus metric name`);
  }
  return name;
}

function assertComponentName(name: string): string {
  if (!COMPONENT_NAME.test(name)) {
    throw new Error(`"${name}" is not a valid Collector component or pipeline name`);
  }
  return name;
}

/** A Collector string as a single-quoted YAML scalar: `$` doubled for the Collector, `'` doubled for YAML. */
export function yamlString(value: string): string {
  return `'${value.replace(/\$/g, '$$$$').replace(/'/g, "''")}'`;
}

/** A double-quoted OTTL string literal. */
export function ottlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const APP_FAMILY_NAMES = new Set(
  [...keptFamilies('stable'), ...keptFamilies('legacy')].filter((f) => f.layer === 'app').map((f) => f.family)
);
/** Stored family → histogram base name, for the mesh histograms. */
const MESH_HISTOGRAMS = new Map(
  keptFamilies('stable').flatMap((f): Array<[string, string]> =>
    f.layer === 'mesh' && f.histogram ? [[f.family, f.histogram.base]] : []
  )
);

interface Normalized {
  families: string[];
  /** Label → the mesh families it is dropped from; undefined: every family of the job. */
  labels: Map<string, string[] | undefined>;
  skipped: SkippedDrop[];
}

const sortedUnique = (values: string[]) => [...new Set(values)].sort();

/** Validates the selection and keeps what the mesh scrape can drop. */
function normalize(selection: DropSelection): Normalized {
  const skipped: SkippedDrop[] = [];
  const families = sortedUnique(selection.families.map(assertMetricName)).filter((family) => {
    if (APP_FAMILY_NAMES.has(family)) {
      skipped.push({ what: `family ${family}`, reason: APP_REASON });
      return false;
    }
    return true;
  });
  const dropped = new Set(families);
  const labels = new Map<string, string[] | undefined>();
  for (const drop of selection.labels) {
    const label = assertStoredLabelName(drop.label);
    const blocked = blockedReason(label);
    if (blocked) {
      skipped.push({ what: `label ${label}`, reason: blocked });
      continue;
    }
    if (!drop.families) {
      labels.set(label, undefined);
      continue;
    }
    const targets = sortedUnique(drop.families.map(assertMetricName)).filter((family) => {
      if (APP_FAMILY_NAMES.has(family)) {
        skipped.push({ what: `label ${label} of ${family}`, reason: APP_REASON });
        return false;
      }
      return !dropped.has(family);
    });
    if (labels.has(label) && labels.get(label) === undefined) {
      continue;
    }
    if (targets.length > 0) {
      labels.set(label, sortedUnique([...(labels.get(label) ?? []), ...targets]));
    }
  }
  return { families, labels: new Map([...labels].sort(([a], [b]) => a.localeCompare(b))), skipped };
}

/** Drops that merge series (the dropped label told them apart), with the report's numbers. */
function mergeCaveats(selection: Normalized, report: CardinalityReport | undefined): string[] {
  if (!report) {
    return [];
  }
  const caveats: string[] = [];
  for (const [label, families] of selection.labels) {
    const merged = report.families
      .filter((f) => (families ? families.includes(f.family) : f.layer === 'mesh'))
      .filter((f) => !selection.families.includes(f.family))
      .flatMap((f) => {
        const cost = f.labels.find((l) => l.label === label);
        return cost && cost.seriesSavedIfDropped > 0
          ? [`${f.family} ${f.series} → ${f.series - cost.seriesSavedIfDropped}`]
          : [];
      });
    if (merged.length > 0) {
      caveats.push(
        `Dropping ${label} merges series that differed only by it (${merged.join(', ')}): the merged series ` +
          'collide, and only one of their values survives each scrape, not their sum.'
      );
    }
  }
  return caveats;
}

/** The scrape-time rules for a selection, in the order to append them. */
export function metricRelabelRules(selection: DropSelection): RelabelRule[] {
  const normalized = normalize(selection);
  const rules: RelabelRule[] = [];
  const alternatives = (names: string[]) => names.map(escapeRegex).join('|');
  if (normalized.families.length > 0) {
    rules.push({ source_labels: ['__name__'], regex: alternatives(normalized.families), action: 'drop' });
  }
  const everywhere = [...normalized.labels].filter(([, families]) => !families).map(([label]) => label);
  if (everywhere.length > 0) {
    rules.push({ regex: alternatives(everywhere), action: 'labeldrop' });
  }
  for (const [label, families] of normalized.labels) {
    if (families) {
      // An empty replacement removes the label, here only from the matching families.
      rules.push({
        source_labels: ['__name__'],
        regex: alternatives(families),
        target_label: label,
        replacement: '',
        action: 'replace',
      });
    }
  }
  return rules;
}

function relabelRuleYaml(rule: RelabelRule, indent: string): string[] {
  const fields: Array<[string, string]> = [];
  if (rule.source_labels) {
    fields.push(['source_labels', `[${rule.source_labels.map(yamlString).join(', ')}]`]);
  }
  fields.push(['regex', yamlString(rule.regex)]);
  if (rule.target_label !== undefined) {
    fields.push(['target_label', yamlString(rule.target_label)]);
  }
  if (rule.replacement !== undefined) {
    fields.push(['replacement', yamlString(rule.replacement)]);
  }
  fields.push(['action', yamlString(rule.action)]);
  return fields.map(([key, value], i) => `${indent}${i === 0 ? '- ' : '  '}${key}: ${value}`);
}

function skippedComments(skipped: SkippedDrop[]): string[] {
  return skipped.map((s) => `# Left out: ${s.what}: ${s.reason}.`);
}

export function scrapeTimeSnippet(selection: DropSelection, options: SnippetOptions = {}): CollectorSnippet {
  const receiver = assertComponentName(options.receiver ?? DEFAULTS.receiver);
  const jobName = options.jobName ?? DEFAULTS.jobName;
  const normalized = normalize(selection);
  const rules = metricRelabelRules(selection);
  const lines = [`# ${SCRAPE_TIME_NOTE}`, ...skippedComments(normalized.skipped)];
  if (rules.length === 0) {
    lines.push('# Nothing to drop at scrape time.');
  } else {
    lines.push(
      '# Append these rules to the job’s existing metric_relabel_configs, after its keep rule.',
      'receivers:',
      `  ${receiver}:`,
      '    config:',
      '      scrape_configs:',
      `        - job_name: ${yamlString(jobName)}`,
      '          metric_relabel_configs:',
      ...rules.flatMap((rule) => relabelRuleYaml(rule, '            '))
    );
  }
  return {
    method: 'scrape-time',
    title: `Scrape time: metric_relabel_configs in the ${receiver} receiver`,
    note: SCRAPE_TIME_NOTE,
    yaml: lines.join('\n') + '\n',
    skipped: normalized.skipped,
    caveats: [...mergeCaveats(normalized, options.report), ...targetLabelCaveats(normalized)],
  };
}

/** A per-family drop writes the label as a relabel `target_label`, which only UTF-8 aware receivers accept. */
function targetLabelCaveats(selection: Normalized): string[] {
  const unusual = [...selection.labels]
    .filter(([label, families]) => families && !isClassicLabelName(label))
    .map(([label]) => label);
  return unusual.length === 0
    ? []
    : [
        `${unusual.join(', ')} ${unusual.length === 1 ? 'is not a classic label name' : 'are not classic label names'}: ` +
          'the rules that drop it from some families name it as target_label, which only a receiver built on ' +
          'Prometheus 3 (UTF-8 label names) accepts; the OTTL snippet has no such limit.',
      ];
}

/** The family's metric name inside the Collector: a histogram's base name; counters lose `_total` when trimmed. */
export function collectorMetricName(family: string, trimMetricSuffixes = false): string {
  const base = MESH_HISTOGRAMS.get(family);
  if (base) {
    return base;
  }
  return trimMetricSuffixes ? family.replace(/_total$/, '') : family;
}

function nameCondition(path: string, names: string[]): string {
  return names.map((name) => `${path} == ${ottlString(name)}`).join(' or ');
}

export function ottlSnippet(selection: DropSelection, options: SnippetOptions = {}): CollectorSnippet {
  const pipeline = assertComponentName(options.pipeline ?? DEFAULTS.pipeline);
  const processorName = assertComponentName(options.processorName ?? DEFAULTS.processorName);
  const existing = (options.pipelineProcessors ?? DEFAULTS.pipelineProcessors).map(assertComponentName);
  const trim = options.trimMetricSuffixes ?? false;
  const normalized = normalize(selection);
  const skipped = [...normalized.skipped];
  const caveats = mergeCaveats(normalized, options.report);

  // Families: a histogram goes only when all three of its series families are selected.
  const selected = new Set(normalized.families);
  const metricNames: string[] = [];
  for (const family of normalized.families) {
    const base = MESH_HISTOGRAMS.get(family);
    if (!base) {
      metricNames.push(collectorMetricName(family, trim));
      continue;
    }
    const parts = [...MESH_HISTOGRAMS].filter(([, b]) => b === base).map(([f]) => f);
    if (parts.every((p) => selected.has(p))) {
      metricNames.push(base);
    } else {
      skipped.push({ what: `family ${family}`, reason: HISTOGRAM_REASON });
    }
  }
  const dropMetrics = sortedUnique(metricNames);

  const statements: string[] = [];
  for (const [label, families] of normalized.labels) {
    if (!families) {
      statements.push(`delete_key(attributes, ${ottlString(label)})`);
      continue;
    }
    const names = sortedUnique(families.map((f) => collectorMetricName(f, trim))).filter(
      (name) => !dropMetrics.includes(name)
    );
    const widened = families.filter((f) => MESH_HISTOGRAMS.has(f));
    const bases = sortedUnique(widened.map((f) => MESH_HISTOGRAMS.get(f) as string));
    for (const base of bases) {
      const parts = [...MESH_HISTOGRAMS].filter(([, b]) => b === base).map(([f]) => f);
      if (!parts.every((p) => families.includes(p))) {
        caveats.push(
          `${label} is removed from all of ${base} (${parts.join(', ')}): in the Collector a histogram is one metric.`
        );
      }
    }
    if (names.length > 0) {
      statements.push(`delete_key(attributes, ${ottlString(label)}) where ${nameCondition('metric.name', names)}`);
    }
  }

  const filter = `filter/${processorName}`;
  const transform = `transform/${processorName}`;
  const added = [...(dropMetrics.length > 0 ? [filter] : []), ...(statements.length > 0 ? [transform] : [])];
  const lines = [`# ${OTTL_NOTE}`, ...skippedComments(skipped)];
  if (added.length === 0) {
    lines.push('# Nothing to drop with OTTL.');
  } else {
    if (trim) {
      lines.push('# Metric names as the receiver names them with trim_metric_suffixes: true.');
    }
    lines.push('processors:');
    if (dropMetrics.length > 0) {
      lines.push(
        `  ${filter}:`,
        `    error_mode: ${yamlString('ignore')}`,
        '    metrics:',
        '      metric:',
        `        - ${yamlString(nameCondition('name', dropMetrics))}`
      );
    }
    if (statements.length > 0) {
      lines.push(
        `  ${transform}:`,
        `    error_mode: ${yamlString('ignore')}`,
        '    metric_statements:',
        `      - context: ${yamlString('datapoint')}`,
        '        statements:',
        ...statements.map((s) => `          - ${yamlString(s)}`)
      );
    }
    const batchAt = existing.lastIndexOf('batch');
    const processors =
      batchAt >= 0 ? [...existing.slice(0, batchAt), ...added, ...existing.slice(batchAt)] : [...existing, ...added];
    lines.push(
      'service:',
      '  pipelines:',
      `    ${pipeline}:`,
      `      processors: [${processors.map(yamlString).join(', ')}]`
    );
  }
  return {
    method: 'ottl',
    title: `OTTL: filter and transform processors in the ${pipeline} pipeline`,
    note: OTTL_NOTE,
    yaml: lines.join('\n') + '\n',
    skipped,
    caveats,
  };
}

/** Both snippets for a selection: scrape time first (the cheaper way), then OTTL. */
export function collectorSnippets(selection: DropSelection, options: SnippetOptions = {}): CollectorSnippet[] {
  return [scrapeTimeSnippet(selection, options), ottlSnippet(selection, options)];
}
