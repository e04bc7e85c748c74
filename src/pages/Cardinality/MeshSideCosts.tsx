import React from 'react';
import { Alert, Stack } from '@grafana/ui';
import type { CardinalityReport } from '../../cardinality';
import { testIds } from '../../testIds';
import { LINKERD_ADMIN_PORT } from '../../query/schema';
import { formatCount } from '../../components/formatCount';

const LISTED_ROUTE_FAMILIES = 5;

function share(part: number, whole: number): string {
  return whole > 0 ? ` (${((100 * part) / whole).toFixed(1)} % of the mesh layer's ${formatCount(whole)})` : '';
}

/**
 * Mesh series that cost without feeding a figure: the proxies' admin server in the kept families, and Linkerd's
 * route families stored beside the legacy ones.
 */
export function MeshSideCosts({ report }: { report: CardinalityReport }) {
  const side = report.meshSideCosts;
  if (!side) {
    return null;
  }
  const meshSeries = report.totals.mesh.series;
  const routeSeries = side.routeFamilies.reduce((sum, f) => sum + f.series, 0);
  const bothGenerations = side.routeFamilies.length > 0 && meshSeries > 0;
  if (side.adminSeries === 0 && !bothGenerations) {
    return null;
  }
  return (
    <Stack direction="column" gap={1}>
      {side.adminSeries > 0 && (
        <div data-testid={testIds.cardinality.adminSeries} data-series={side.adminSeries}>
          <Alert severity="info" title={`The proxies' admin server: ${formatCount(side.adminSeries)} series`}>
            {formatCount(side.adminSeries)} series of the mesh families{share(side.adminSeries, meshSeries)} record
            Prometheus&apos; scrapes and the kubelet&apos;s probes of port {LINKERD_ADMIN_PORT} (
            <code>target_port=&quot;{LINKERD_ADMIN_PORT}&quot;</code>). No figure counts them; the overview reads them
            only to tell that an idle workload is meshed. Dropping them saves these series and shows idle meshed
            workloads as app-only.
          </Alert>
        </div>
      )}
      {bothGenerations && (
        <div data-testid={testIds.cardinality.routeFamilies} data-series={routeSeries}>
          <Alert
            severity="warning"
            title={`Linkerd's route families are stored beside the legacy ones: ${formatCount(routeSeries)} more series`}
          >
            {side.routeFamilies.length} route famil{side.routeFamilies.length === 1 ? 'y' : 'ies'} (
            {side.routeFamilies
              .slice(0, LISTED_ROUTE_FAMILIES)
              .map((f) => `${f.family} ${formatCount(f.series)}`)
              .join(', ')}
            {side.routeFamilies.length > LISTED_ROUTE_FAMILIES ? ', …' : ''}) are scraped with the{' '}
            {formatCount(meshSeries)} series of the legacy families above. Mesh Lens&apos; figures read the legacy
            families; the route families feed only the gRPC-route note on a service&apos;s Status codes tab and{' '}
            <code>linkerd viz stat-outbound</code>. Keep both only if you use both: the reference Collector&apos;s
            scrape job keeps the legacy families alone.
          </Alert>
        </div>
      )}
    </Stack>
  );
}
