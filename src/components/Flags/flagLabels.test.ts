import { FLAG_IDS } from '../../constants';
import { FLAG_FACTS } from '../../boundary/flags';
import { COVERAGE_TEXT, flagText } from './flagLabels';

describe('flag badges', () => {
  it('names each flag kind on its badge', () => {
    expect(flagText('grpc-trap', 'both')).toBe('gRPC trap');
    expect(flagText('disagreement', 'both')).toBe('Layers disagree');
    expect(flagText('boundary-latency', 'mesh-only')).toBe('Boundary latency');
  });

  it('names the coverage case on a coverage badge', () => {
    expect(flagText('coverage', 'mesh-only')).toBe('Not instrumented');
    expect(flagText('coverage', 'app-only')).toBe('Not meshed');
    expect(flagText('coverage', 'unknown')).toBe('Coverage unknown');
  });

  it('gives every flag kind its own name and colour, so a badge, a ring arc and its legend entry tell them apart', () => {
    const styles = FLAG_IDS.map((id) => FLAG_FACTS[id]);
    expect(new Set(styles.map((s) => s.name)).size).toBe(FLAG_IDS.length);
    expect(new Set(styles.map((s) => s.color)).size).toBe(FLAG_IDS.length);
    expect(new Set(Object.values(COVERAGE_TEXT)).size).toBe(Object.keys(COVERAGE_TEXT).length);
  });
});
