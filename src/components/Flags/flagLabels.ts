import type { BadgeColor } from '@grafana/ui';
import type { FlagId } from '../../constants';
import type { Coverage } from '../../boundary/types';

/**
 * Each flag kind's name and colour: a Grafana visualization colour name, so a badge, a ring on the map and its legend
 * resolve it through the same theme.
 */
export const FLAG_STYLES: Record<FlagId, { name: string; color: BadgeColor }> = {
  'grpc-trap': { name: 'gRPC trap', color: 'red' },
  disagreement: { name: 'Layers disagree', color: 'orange' },
  'boundary-latency': { name: 'Boundary latency', color: 'purple' },
  coverage: { name: 'Coverage', color: 'blue' },
};

/** What each coverage case means for an SRE: the mesh is the proxy, instrumentation the app's own metrics. */
export const COVERAGE_TEXT: Record<Coverage, string> = {
  both: 'Meshed and instrumented',
  'mesh-only': 'Not instrumented',
  'app-only': 'Not meshed',
  unknown: 'Coverage unknown',
};

/** A flag's badge text: the coverage flag names its case. */
export function flagText(flag: FlagId, coverage: Coverage): string {
  return flag === 'coverage' ? COVERAGE_TEXT[coverage] : FLAG_STYLES[flag].name;
}
