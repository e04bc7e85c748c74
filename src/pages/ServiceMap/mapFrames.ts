import { createDataFrame, FieldColorModeId, FieldType, type DataFrame, type GrafanaTheme2 } from '@grafana/data';
import type { MapEdge, MapNode, ServiceMap } from '../../boundary/serviceMap';
import { FLAG_IDS, prefixRoute, ROUTES, SERVICE_DRILLDOWN, type FlagId } from '../../constants';
import { PERCENT_DECIMALS, successColor } from '../../components/successColor';
import { FLAG_FACTS } from '../../boundary/flags';
import { COVERAGE_TEXT } from '../../components/Flags/flagLabels';
import { nameSegment, namespaceSegment } from '../../components/ServiceLink/servicePath';

/** The map's nodes are the mesh's workloads: a coverage flag there always means the app exports nothing. */
export function mapFlagName(flag: FlagId): string {
  return flag === 'coverage' ? COVERAGE_TEXT['mesh-only'] : FLAG_FACTS[flag].name;
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

export const NO_FLAG_NAME = 'No flag';

/** The ring around a node: one equal arc per flag kind the service carries, a grey ring for none. */
export function nodeArcs(node: MapNode): { flags: Record<FlagId, number>; none: number } {
  const share = node.flags.length > 0 ? 1 / node.flags.length : 0;
  const flags = Object.fromEntries(FLAG_IDS.map((id) => [id, node.flags.includes(id) ? share : 0]));
  return { flags: flags as Record<FlagId, number>, none: node.flags.length > 0 ? 0 : 1 };
}

/** The legend's entries, in the ring's order: each flag kind's name and theme colour, then "no flag". */
export function mapLegend(theme: GrafanaTheme2): Array<{ id: FlagId | 'none'; name: string; color: string }> {
  return [
    ...FLAG_IDS.map((id) => ({
      id,
      name: mapFlagName(id),
      color: theme.visualization.getColorByName(FLAG_FACTS[id].color),
    })),
    { id: 'none' as const, name: NO_FLAG_NAME, color: theme.colors.text.disabled },
  ];
}

/**
 * The two frames Grafana's node graph panel reads (public/app/plugins/panel/nodeGraph/utils.ts `processNodes`):
 * nodes with `arc__*` fields drawn as a ring of fixed colours (its legend lists them), edges with a `color` the
 * panel uses as given, so it is resolved from the theme here.
 */
export function mapFrames(map: ServiceMap, theme: GrafanaTheme2): DataFrame[] {
  const { nodes, edges } = map;
  // The drill-down's own path segments (servicePath.ts), which Grafana's URI encoding leaves as they are.
  const drilldown = `${prefixRoute(ROUTES.Overview)}/${SERVICE_DRILLDOWN}/\${__data.fields.route_namespace}/\${__data.fields.route_service}`;
  const arcs = nodes.map(nodeArcs);
  const legend = mapLegend(theme);
  const arcField = (id: FlagId | 'none', values: number[]) => {
    const entry = legend.find((l) => l.id === id)!;
    return {
      name: `arc__${id}`,
      type: FieldType.number,
      values,
      config: { color: { mode: FieldColorModeId.Fixed, fixedColor: entry.color }, displayName: entry.name },
    };
  };
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
      { name: 'route_namespace', type: FieldType.string, values: nodes.map((n) => namespaceSegment(n.namespace)) },
      { name: 'route_service', type: FieldType.string, values: nodes.map((n) => nameSegment(n.name)) },
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
        config: { unit: 'percentunit', decimals: PERCENT_DECIMALS, displayName: 'Success' },
      },
      ...FLAG_IDS.map((id) =>
        arcField(
          id,
          arcs.map((a) => a.flags[id])
        )
      ),
      arcField(
        'none',
        arcs.map((a) => a.none)
      ),
      {
        name: 'detail__flags',
        type: FieldType.string,
        values: nodes.map((n) => n.flags.map(mapFlagName).join(', ') || 'none'),
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
        config: { unit: 'percentunit', decimals: PERCENT_DECIMALS, displayName: 'Success' },
      },
      ...detailFields(edges),
      { name: 'color', type: FieldType.string, values: edges.map((e) => successColor(e.successRate, theme)) },
    ],
  });
  return [nodesFrame, edgesFrame];
}
