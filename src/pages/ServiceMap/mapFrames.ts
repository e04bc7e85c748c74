import { createDataFrame, FieldType, type DataFrame } from '@grafana/data';
import type { MapEdge, ServiceMap } from '../../boundary/serviceMap';
import { prefixRoute, ROUTES, SERVICE_DRILLDOWN } from '../../constants';
import { FLAG_LABELS } from '../Overview/FlagBadges';

/** Edge colour by success rate: what an SRE reads first on a map. */
export function edgeColor(edge: MapEdge): string {
  if (edge.successRate === undefined) {
    return 'gray';
  }
  return edge.successRate >= 0.99 ? 'green' : edge.successRate >= 0.95 ? 'orange' : 'red';
}

const SIDES = [
  { side: 'callerSide', title: "caller's proxy" },
  { side: 'calleeSide', title: "callee's proxy" },
] as const;

/** The edge's figures at both ends, shown when an edge is hovered or clicked. */
function detailFields(edges: MapEdge[]) {
  const figure = (name: string, displayName: string, unit: string, value: (e: MapEdge) => number | undefined) => ({
    name,
    type: FieldType.number,
    values: edges.map((e) => value(e) ?? null),
    config: { unit, displayName },
  });
  return [
    ...SIDES.flatMap(({ side, title }) => [
      figure(`detail__${side}_rps`, `Requests (${title})`, 'reqps', (e) => e[side]?.rps),
      figure(`detail__${side}_success`, `Success (${title})`, 'percentunit', (e) => e[side]?.successRate),
      figure(`detail__${side}_p95`, `p95 (${title})`, 'ms', (e) => e[side]?.p95),
      figure(`detail__${side}_mean`, `Mean (${title})`, 'ms', (e) => e[side]?.mean),
    ]),
    figure('detail__mtls', 'mTLS', 'percentunit', (e) => e.mtlsShare),
  ];
}

/** The two frames Grafana's node graph panel reads: nodes (with success/failure arcs) and edges. */
export function mapFrames(map: ServiceMap): DataFrame[] {
  const { nodes, edges } = map;
  const drilldown = `${prefixRoute(ROUTES.Overview)}/${SERVICE_DRILLDOWN}/\${__data.fields.subtitle}/\${__data.fields.title}`;
  const nodesFrame = createDataFrame({
    name: 'nodes',
    meta: { preferredVisualisationType: 'nodeGraph' },
    fields: [
      {
        name: 'id',
        type: FieldType.string,
        values: nodes.map((n) => n.id),
        config: { links: [{ title: 'Open the drill-down', url: drilldown }] },
      },
      { name: 'title', type: FieldType.string, values: nodes.map((n) => n.name) },
      { name: 'subtitle', type: FieldType.string, values: nodes.map((n) => n.namespace) },
      {
        name: 'mainstat',
        type: FieldType.number,
        values: nodes.map((n) => n.rps ?? null),
        config: { unit: 'reqps', displayName: 'Requests' },
      },
      {
        name: 'secondarystat',
        type: FieldType.number,
        values: nodes.map((n) => n.successRate ?? null),
        config: { unit: 'percentunit', displayName: 'Success' },
      },
      {
        name: 'arc__success',
        type: FieldType.number,
        values: nodes.map((n) => n.successRate ?? 0),
        config: { color: { mode: 'fixed', fixedColor: 'green' }, displayName: 'Success' },
      },
      {
        name: 'arc__failure',
        type: FieldType.number,
        values: nodes.map((n) => (n.successRate === undefined ? 0 : 1 - n.successRate)),
        config: { color: { mode: 'fixed', fixedColor: 'red' }, displayName: 'Failure' },
      },
      {
        name: 'detail__flags',
        type: FieldType.string,
        values: nodes.map((n) => n.flags.map((f) => FLAG_LABELS[f].text).join(', ') || 'none'),
        config: { displayName: 'Flags' },
      },
    ],
  });
  const edgesFrame = createDataFrame({
    name: 'edges',
    meta: { preferredVisualisationType: 'nodeGraph' },
    fields: [
      { name: 'id', type: FieldType.string, values: edges.map((e) => e.id) },
      { name: 'source', type: FieldType.string, values: edges.map((e) => e.source) },
      { name: 'target', type: FieldType.string, values: edges.map((e) => e.target) },
      {
        name: 'mainstat',
        type: FieldType.number,
        values: edges.map((e) => e.rps),
        config: { unit: 'reqps', displayName: 'Requests' },
      },
      {
        name: 'secondarystat',
        type: FieldType.number,
        values: edges.map((e) => e.successRate ?? null),
        config: { unit: 'percentunit', displayName: 'Success' },
      },
      ...detailFields(edges),
      { name: 'color', type: FieldType.string, values: edges.map(edgeColor) },
    ],
  });
  return [nodesFrame, edgesFrame];
}
