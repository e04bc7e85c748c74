import { APP_FAMILIES, MESH_FAMILIES } from '../query/schema';
import type { SemconvVersion } from '../settings/types';
import type { FamilySpec, HistogramPart } from './types';

const HISTOGRAM_PARTS: HistogramPart[] = ['bucket', 'sum', 'count'];

function histogramFamilies(base: string, layer: FamilySpec['layer']): FamilySpec[] {
  return HISTOGRAM_PARTS.map((part) => ({ family: `${base}_${part}`, layer, histogram: { base, part } }));
}

const LATENCY_BASE = MESH_FAMILIES.latencyBucket.replace(/_bucket$/, '');

/**
 * The families the reference pipeline keeps, as stored: the mesh families of DESIGN §1 (the latency histogram as
 * its `_bucket`, `_sum` and `_count` families) and the configured semantic conventions' two app histograms.
 */
export function keptFamilies(semconv: SemconvVersion): FamilySpec[] {
  const histogramParts = new Set<string>([MESH_FAMILIES.latencySum, MESH_FAMILIES.latencyCount]);
  const mesh: FamilySpec[] = Object.values(MESH_FAMILIES)
    .filter((family) => !histogramParts.has(family))
    .flatMap((family) =>
      family === MESH_FAMILIES.latencyBucket ? histogramFamilies(LATENCY_BASE, 'mesh') : [{ family, layer: 'mesh' }]
    );
  const { http, rpc } = APP_FAMILIES[semconv];
  const app = [http, rpc].flatMap((f) => histogramFamilies(f.base, 'app'));
  return [...mesh, ...app];
}
