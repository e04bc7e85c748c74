import type { AppSettings } from '../settings/types';
import type { Sample } from '../boundary/types';
import { escapeRegex, labelSelector, matcher, type LabelMatcher } from './promql';
import { APP_FAMILIES, APP_LAYER, appLabels, MESH_FAMILIES, MESH_LABELS, MESH_LAYER } from './schema';

/** How far back the check looks for series, so a quiet store is not reported as empty. */
const LOOKBACK = '1h';

/** What the views read; request_total is optional (the cardinality budget may suggest dropping it). */
const MESH_REQUIRED = [MESH_FAMILIES.responses, MESH_FAMILIES.latencyBucket];
const MESH_TCP = [
  MESH_FAMILIES.tcpOpenTotal,
  MESH_FAMILIES.tcpOpenConnections,
  MESH_FAMILIES.tcpReadBytes,
  MESH_FAMILIES.tcpWriteBytes,
  MESH_FAMILIES.tcpCloseTotal,
];

function appCountFamilies(): string[] {
  return Object.values(APP_FAMILIES).flatMap((c) => [c.http.base, c.rpc.base].map((b) => `${b}_count`));
}

function namesRegex(names: string[]): string {
  return names.map(escapeRegex).join('|');
}

export type CheckRefId = 'meshFamilies' | 'meshWithSchema' | 'appFamilies' | 'appWithServiceLabel';

/** Four cheap queries: which families exist in each layer, and whether the configured labels are on them. */
export function buildConnectionChecks(settings: AppSettings): Array<{ refId: CheckRefId; expr: string }> {
  const mesh = MESH_LABELS[settings.labelSchema];
  const families = (names: string[], extra: LabelMatcher[]) =>
    `count by (__name__) (last_over_time(${labelSelector([matcher('__name__', '=~', namesRegex(names)), ...extra])}[${LOOKBACK}]))`;
  const app = appLabels(settings.appServiceLabel);
  return [
    { refId: 'meshFamilies', expr: families([...MESH_REQUIRED, ...MESH_TCP], [MESH_LAYER]) },
    { refId: 'meshWithSchema', expr: families(MESH_REQUIRED, [MESH_LAYER, matcher(mesh.namespace, '!=', '')]) },
    { refId: 'appFamilies', expr: families(appCountFamilies(), [APP_LAYER]) },
    { refId: 'appWithServiceLabel', expr: families(appCountFamilies(), [APP_LAYER, matcher(app.service, '!=', '')]) },
  ];
}

export type CheckStatus = 'ok' | 'warning' | 'error';

export interface CheckLine {
  status: CheckStatus;
  title: string;
  detail: string;
}

function found(samples: Sample[] | undefined): Set<string> {
  return new Set((samples ?? []).filter((s) => s.value > 0).map((s) => s.labels.__name__));
}

const SCHEMA_NAMES = { otel: 'OTel Collector', linkerd: "Linkerd's Prometheus" };

/** Turns the answers into lines a user can act on. */
export function interpretConnectionChecks(
  results: Partial<Record<CheckRefId, Sample[]>>,
  settings: AppSettings
): CheckLine[] {
  const lines: CheckLine[] = [];
  const meshFound = found(results.meshFamilies);
  const missingRequired = MESH_REQUIRED.filter((f) => !meshFound.has(f));
  if (missingRequired.length === MESH_REQUIRED.length) {
    lines.push({
      status: 'error',
      title: 'No mesh metrics found',
      detail:
        `None of ${MESH_REQUIRED.join(', ')} with layer="mesh" in the last ${LOOKBACK}. Check that the Collector scrapes the ` +
        'linkerd-proxy containers (port 4191), keeps these families and adds layer="mesh".',
    });
  } else if (missingRequired.length > 0) {
    lines.push({
      status: 'error',
      title: `Mesh metrics incomplete: ${missingRequired.join(', ')} missing`,
      detail:
        'The Collector filter drops them; keep request_total, response_total and response_latency_ms_* for the overview.',
    });
  } else {
    lines.push({ status: 'ok', title: 'Mesh metrics found', detail: `${MESH_REQUIRED.join(', ')} with layer="mesh".` });
    const schemaFound = found(results.meshWithSchema);
    if (!MESH_REQUIRED.every((f) => schemaFound.has(f))) {
      const other = settings.labelSchema === 'otel' ? 'linkerd' : 'otel';
      lines.push({
        status: 'error',
        title: `Mesh series lack the ${SCHEMA_NAMES[settings.labelSchema]} labels`,
        detail:
          `No ${MESH_LABELS[settings.labelSchema].namespace} label on the mesh series. ` +
          `Try the label schema "${SCHEMA_NAMES[other]}", or add Kubernetes metadata in the Collector.`,
      });
    }
  }
  const tcpMissing = MESH_TCP.filter((f) => !meshFound.has(f));
  if (missingRequired.length < MESH_REQUIRED.length && tcpMissing.length > 0) {
    lines.push({
      status: 'warning',
      title: `TCP metrics missing: ${tcpMissing.join(', ')}`,
      detail: 'The TCP tab of the drill-down stays empty for them; everything else works.',
    });
  }

  const appFound = found(results.appFamilies);
  const configured = APP_FAMILIES[settings.semconv];
  const configuredNames = [configured.http.base, configured.rpc.base].map((b) => `${b}_count`);
  const otherSemconv = settings.semconv === 'stable' ? 'legacy' : 'stable';
  const otherNames = [APP_FAMILIES[otherSemconv].http.base, APP_FAMILIES[otherSemconv].rpc.base].map(
    (b) => `${b}_count`
  );
  const present = configuredNames.filter((n) => appFound.has(n));
  if (present.length > 0) {
    lines.push({
      status: 'ok',
      title: 'App metrics found',
      detail: present.map((n) => n.replace(/_count$/, '')).join(', '),
    });
    const withLabel = found(results.appWithServiceLabel);
    if (!present.some((n) => withLabel.has(n))) {
      lines.push({
        status: 'error',
        title: `App series have no ${appLabels(settings.appServiceLabel).service} label`,
        detail:
          settings.appServiceLabel === 'service_name'
            ? 'Enable resource_to_telemetry_conversion in the exporter, or choose "job" as the app service label.'
            : 'Choose "service_name" as the app service label.',
      });
    }
  } else if (otherNames.some((n) => appFound.has(n))) {
    lines.push({
      status: 'error',
      title: `App metrics use the ${otherSemconv} semantic conventions`,
      detail: `Found ${otherNames.filter((n) => appFound.has(n)).join(', ')}; switch "Semantic conventions" to ${otherSemconv}.`,
    });
  } else {
    lines.push({
      status: 'warning',
      title: 'No app metrics found',
      detail:
        `None of ${configuredNames.join(', ')} without layer="mesh". Services will show as mesh only until the apps export ` +
        'OpenTelemetry HTTP or RPC server metrics to this datasource.',
    });
  }
  return lines;
}
