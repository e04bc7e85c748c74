import { FLAG_FACTS } from '../../boundary/flags';
import type { FlagId } from '../../constants';
import type { Coverage } from '../../boundary/types';

/** What each coverage case means for an SRE: the mesh is the proxy, instrumentation the app's own metrics. */
export const COVERAGE_TEXT: Record<Coverage, string> = {
  both: 'Meshed and instrumented',
  'mesh-only': 'Not instrumented',
  'app-only': 'Not meshed',
  unknown: 'Coverage unknown',
};

/** A flag's badge text: the coverage flag names its case. */
export function flagText(flag: FlagId, coverage: Coverage): string {
  return flag === 'coverage' ? COVERAGE_TEXT[coverage] : FLAG_FACTS[flag].name;
}
