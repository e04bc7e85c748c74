/**
 * The configuration page's Test: a fixed set of cheap queries that tell which families each layer has, which
 * label world the mesh series live in (the Collector pipeline's `layer="mesh"` or Linkerd's own Prometheus), which
 * Linkerd proxy generation wrote them, and whether the proxies' admin traffic is in the store — and what each
 * finding means for the figures.
 */
import type { AppSettings } from '../settings/types';
import { parseGrpcStatus } from './grpcStatus';
import { eq, escapeRegex, labelSelector, matcher, type LabelMatcher } from './promql';
import type { Sample } from './sample';
import {
  APP_FAMILIES,
  APP_LAYER,
  appLabels,
  INBOUND,
  LINKERD_ADMIN_PORT,
  MESH_FAMILIES,
  MESH_LABELS,
  meshMatchers,
} from './schema';

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
/** Linkerd 2.16+ outbound and 2.20+ inbound route families (prometheus-client), beside the legacy ones. */
export const ROUTE_STATUS_FAMILIES = [
  'outbound_http_route_request_statuses_total',
  'outbound_grpc_route_request_statuses_total',
  'inbound_http_statuses_total',
  'inbound_grpc_statuses_total',
];
/** Labels that date a proxy (linkerd2-proxy: srv_port v2.286.0; inbound authority removed v2.277.0). */
const GENERATION_LABELS = ['srv_port', 'authority'];

function appCountFamilies(): string[] {
  return Object.values(APP_FAMILIES).flatMap((c) => [c.http.base, c.rpc.base].map((b) => `${b}_count`));
}

function namesRegex(names: string[]): string {
  return names.map(escapeRegex).join('|');
}

export type CheckRefId =
  | 'meshFamilies'
  | 'meshAnywhere'
  | 'meshLabels'
  | 'grpcStatus'
  | 'adminTraffic'
  | 'routeFamilies'
  | 'appFamilies'
  | 'appWithServiceLabel';

function lastHour(selector: string): string {
  return `last_over_time(${selector}[${LOOKBACK}])`;
}

/** `count(selector)` tagged `check="<tag>"`, so several counts come back from one query. */
function taggedCount(selector: string, tag: string): string {
  return `label_replace(count(${lastHour(selector)}), "check", "${tag}", "", "")`;
}

/** Eight cheap queries, whatever the store holds. */
export function buildConnectionChecks(settings: AppSettings): Array<{ refId: CheckRefId; expr: string }> {
  const mesh = meshMatchers(settings);
  const families = (names: string[], extra: LabelMatcher[]) =>
    `count by (__name__) (${lastHour(labelSelector([matcher('__name__', '=~', namesRegex(names)), ...extra]))})`;
  const responses = (extra: LabelMatcher[]) =>
    labelSelector([matcher('__name__', '=', MESH_FAMILIES.responses), ...extra]);
  const schema = MESH_LABELS[settings.labelSchema];
  const labelChecks = [
    ...Object.entries(MESH_LABELS).map(([name, labels]) =>
      taggedCount(responses([...mesh, matcher(labels.namespace, '!=', '')]), `schema:${name}`)
    ),
    ...schema.workloads.map((w) => taggedCount(responses([...mesh, matcher(w.label, '!=', '')]), `kind:${w.kind}`)),
    ...GENERATION_LABELS.map((label) =>
      taggedCount(responses([...mesh, INBOUND, matcher(label, '!=', '')]), `label:${label}`)
    ),
  ];
  const requests = (extra: LabelMatcher[]) =>
    `sum(rate(${labelSelector([matcher('__name__', '=', MESH_FAMILIES.requests), ...mesh, INBOUND, ...extra])}[${LOOKBACK}]))`;
  const app = appLabels(settings.appServiceLabel);
  return [
    { refId: 'meshFamilies', expr: families([...MESH_REQUIRED, ...MESH_TCP], mesh) },
    // Where the proxies' series are, whatever the selector: their job and layer say which selector fits.
    { refId: 'meshAnywhere', expr: `count by (job, layer) (${lastHour(responses([]))})` },
    { refId: 'meshLabels', expr: labelChecks.join(' or ') },
    {
      refId: 'grpcStatus',
      expr: `count by (grpc_status, direction) (${lastHour(responses([...mesh, matcher('grpc_status', '!=', '')]))})`,
    },
    {
      refId: 'adminTraffic',
      expr:
        `label_replace(${requests([eq('target_port', LINKERD_ADMIN_PORT)])}, "check", "admin", "", "") or ` +
        `label_replace(${requests([])}, "check", "all", "", "")`,
    },
    { refId: 'routeFamilies', expr: families(ROUTE_STATUS_FAMILIES, mesh) },
    { refId: 'appFamilies', expr: families(appCountFamilies(), [APP_LAYER]) },
    { refId: 'appWithServiceLabel', expr: families(appCountFamilies(), [APP_LAYER, matcher(app.service, '!=', '')]) },
  ];
}

export type CheckStatus = 'ok' | 'info' | 'warning' | 'error';

export interface CheckLine {
  status: CheckStatus;
  title: string;
  detail: string;
}

function found(samples: Sample[] | undefined): Set<string> {
  return new Set((samples ?? []).filter((s) => s.value > 0).map((s) => s.labels.__name__));
}

function tagged(samples: Sample[] | undefined): Map<string, number> {
  return new Map((samples ?? []).filter((s) => s.labels.check).map((s) => [s.labels.check, s.value]));
}

const SCHEMA_NAMES = { otel: 'OTel Collector', linkerd: "Linkerd's Prometheus" };

function selectorText(settings: AppSettings): string {
  const { label, value } = settings.meshSelector;
  return label ? `${label}="${value}"` : 'no mesh selector';
}

type Results = Partial<Record<CheckRefId, Sample[]>>;

/** Where the proxies' series are when the selector finds none, and what to set instead. */
function selectorAdvice(results: Results, settings: AppSettings): string {
  const places = (results.meshAnywhere ?? []).filter((s) => s.value > 0);
  if (places.length === 0) {
    return (
      `No ${MESH_FAMILIES.responses} in the last ${LOOKBACK} at all. Check that the Collector (or Prometheus) scrapes the ` +
      'linkerd-proxy containers on port 4191 and writes to this datasource.'
    );
  }
  const described = places
    .slice(0, 5)
    .map((s) => `job="${s.labels.job ?? ''}"${s.labels.layer ? `, layer="${s.labels.layer}"` : ''} (${s.value} series)`)
    .join('; ');
  return (
    `The proxies' series are there, but not with ${selectorText(settings)}: ${described}. Set the mesh selector to ` +
    'a label they carry (layer="mesh" in the Collector pipeline, job="linkerd-proxy" on Linkerd\'s Prometheus).'
  );
}

function meshLines(results: Results, settings: AppSettings): CheckLine[] {
  const lines: CheckLine[] = [];
  const meshFound = found(results.meshFamilies);
  const missingRequired = MESH_REQUIRED.filter((f) => !meshFound.has(f));
  if (missingRequired.length === MESH_REQUIRED.length) {
    return [{ status: 'error', title: 'No mesh metrics found', detail: selectorAdvice(results, settings) }];
  }
  if (missingRequired.length > 0) {
    lines.push({
      status: 'error',
      title: `Mesh metrics incomplete: ${missingRequired.join(', ')} missing`,
      detail: 'The pipeline drops them; keep response_total and response_latency_ms_* for the overview.',
    });
  } else {
    lines.push({
      status: 'ok',
      title: 'Mesh metrics found',
      detail: `${MESH_REQUIRED.join(', ')} with ${selectorText(settings)}.`,
    });
  }
  lines.push(...worldLines(results, settings));
  const tcpMissing = MESH_TCP.filter((f) => !meshFound.has(f));
  if (tcpMissing.length > 0) {
    lines.push({
      status: 'warning',
      title: `TCP metrics missing: ${tcpMissing.join(', ')}`,
      detail: 'The TCP tab of the drill-down stays empty for them; everything else works.',
    });
  }
  return lines;
}

/** Which label world and which workload kinds the mesh series show. */
function worldLines(results: Results, settings: AppSettings): CheckLine[] {
  const lines: CheckLine[] = [];
  const labels = tagged(results.meshLabels);
  const configured = settings.labelSchema;
  const other = configured === 'otel' ? 'linkerd' : 'otel';
  if (!labels.get(`schema:${configured}`)) {
    lines.push({
      status: 'error',
      title: `Mesh series lack the ${SCHEMA_NAMES[configured]} labels`,
      detail: labels.get(`schema:${other}`)
        ? `They carry ${MESH_LABELS[other].namespace} instead: choose the label schema "${SCHEMA_NAMES[other]}".`
        : `No ${MESH_LABELS[configured].namespace} label on the mesh series: add Kubernetes metadata in the pipeline.`,
    });
    return lines;
  }
  const kinds = MESH_LABELS[configured].workloads
    .filter((w) => labels.get(`kind:${w.kind}`))
    .map((w) => `${w.kind} (${labels.get(`kind:${w.kind}`)} series)`);
  const layered = (results.meshAnywhere ?? []).some((s) => s.labels.layer === 'mesh');
  lines.push({
    status: 'ok',
    title:
      configured === 'otel'
        ? 'World: the OTel Collector pipeline'
        : `World: Linkerd's own Prometheus${layered ? '' : ' (no layer label)'}`,
    detail:
      `Mesh series found by ${selectorText(settings)}, named by ${MESH_LABELS[configured].namespace} and their workload ` +
      `label. Workload kinds seen: ${kinds.join(', ') || 'none'}.`,
  });
  return lines;
}

interface GrpcEvidence {
  numeric: boolean;
  text: boolean;
  inbound: boolean;
  outbound: boolean;
}

function grpcEvidence(samples: Sample[] | undefined): GrpcEvidence {
  const evidence = { numeric: false, text: false, inbound: false, outbound: false };
  for (const { labels, value } of samples ?? []) {
    if (!(value > 0)) {
      continue;
    }
    const raw = labels.grpc_status ?? '';
    if (/^\d+$/.test(raw)) {
      evidence.numeric = true;
    } else if (parseGrpcStatus(raw) !== undefined) {
      evidence.text = true;
    }
    evidence.inbound ||= labels.direction === 'inbound';
    evidence.outbound ||= labels.direction === 'outbound';
  }
  return evidence;
}

/** What the series say about the proxies that wrote them, and what that means for the figures. */
function generationLines(results: Results): CheckLine[] {
  const lines: CheckLine[] = [];
  const labels = tagged(results.meshLabels);
  const grpc = grpcEvidence(results.grpcStatus);
  const dated: string[] = [];
  if (labels.get('label:srv_port')) {
    dated.push('srv_port labels: Linkerd edge-25.3.2 / 2.18 or later');
  } else if (labels.get('label:authority')) {
    dated.push('inbound authority labels: a proxy before Linkerd 2.18 (or one that opted back in)');
  }
  if (grpc.text) {
    dated.push('grpc_status written as text ("Unknown error"): Linkerd stable-2.13.x, 2.14.0 or 2.14.1');
  } else if (grpc.numeric) {
    dated.push('grpc_status written as numbers');
  }
  lines.push({
    status: 'info',
    title: 'Proxy generation',
    detail:
      dated.length > 0
        ? `${dated.join('; ')}. Both spellings of gRPC statuses are read.`
        : 'No gRPC traffic or dating labels seen.',
  });
  if (grpc.outbound && !grpc.inbound) {
    lines.push({
      status: 'warning',
      title: 'Inbound proxies do not classify gRPC',
      detail:
        'Callers record gRPC statuses, the callees record none: their proxies (Linkerd stable-2.13.x to 2.14.3) count a ' +
        'failed gRPC call as a success. The gRPC trap is read from the callers’ proxies; callers outside the mesh ' +
        'are not seen. Upgrade to 2.14.4 or later to see it at the callee.',
    });
  }
  const admin = tagged(results.adminTraffic);
  const adminRate = admin.get('admin') ?? 0;
  const allRate = admin.get('all') ?? 0;
  if (adminRate > 0) {
    lines.push({
      status: 'info',
      title: 'Admin traffic present',
      detail:
        `${adminRate.toFixed(2)} req/s of the inbound requests (${((100 * adminRate) / Math.max(allRate, adminRate)).toFixed(1)} %) ` +
        `are Prometheus scrapes and kubelet probes of the proxies' admin port ${LINKERD_ADMIN_PORT}. Mesh Lens leaves them ` +
        'out of every figure; Linkerd Viz counts them. Their series still cost: see the cardinality budget.',
    });
  }
  const routes = found(results.routeFamilies);
  if (routes.size > 0) {
    lines.push({
      status: 'info',
      title: 'Linkerd route metrics present',
      detail:
        `${[...routes].sort().join(', ')} are stored beside the legacy families. Without a GRPCRoute, Linkerd records gRPC ` +
        'calls on HTTP routes by HTTP status alone, so a failed call counts as a success there; Mesh Lens reads the ' +
        'legacy families, which carry the gRPC status. The cardinality budget shows what both cost.',
    });
  }
  return lines;
}

function appLines(results: Results, settings: AppSettings): CheckLine[] {
  const appFound = found(results.appFamilies);
  const configured = APP_FAMILIES[settings.semconv];
  const configuredNames = [configured.http.base, configured.rpc.base].map((b) => `${b}_count`);
  const otherSemconv = settings.semconv === 'stable' ? 'legacy' : 'stable';
  const otherNames = [APP_FAMILIES[otherSemconv].http.base, APP_FAMILIES[otherSemconv].rpc.base].map(
    (b) => `${b}_count`
  );
  const present = configuredNames.filter((n) => appFound.has(n));
  if (present.length > 0) {
    const lines: CheckLine[] = [
      { status: 'ok', title: 'App metrics found', detail: present.map((n) => n.replace(/_count$/, '')).join(', ') },
    ];
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
    return lines;
  }
  if (otherNames.some((n) => appFound.has(n))) {
    return [
      {
        status: 'error',
        title: `App metrics use the ${otherSemconv} semantic conventions`,
        detail: `Found ${otherNames.filter((n) => appFound.has(n)).join(', ')}; switch "Semantic conventions" to ${otherSemconv}.`,
      },
    ];
  }
  return [
    {
      status: 'warning',
      title: 'No app metrics found',
      detail:
        `None of ${configuredNames.join(', ')} without layer="mesh". Services will show as mesh only until the apps export ` +
        'OpenTelemetry HTTP or RPC server metrics to this datasource.',
    },
  ];
}

/** Turns the answers into lines a user can act on. */
export function interpretConnectionChecks(results: Results, settings: AppSettings): CheckLine[] {
  const mesh = meshLines(results, settings);
  const meshFound = mesh.some((l) => l.title === 'Mesh metrics found');
  return [...mesh, ...(meshFound ? generationLines(results) : []), ...appLines(results, settings)];
}
