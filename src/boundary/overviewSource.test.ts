import { PromQueryError, type PromApi } from '../query/promApi';
import { COVERAGE_LABEL } from '../query/recordedQueries';
import type { Sample } from '../query/sample';
import { DEFAULT_SETTINGS } from '../settings/types';
import { chooseSource, readCoverage, resolveSource, SourceCache } from './overviewSource';

/** Coverage samples from `layer:source:edge` keys, each counting 3 series. */
function samples(...keys: string[]): Sample[] {
  return keys.map((key) => ({ labels: { [COVERAGE_LABEL]: key }, value: 3 }));
}

const BOTH_LAYERS_EVERYWHERE = ['mesh', 'app'].flatMap((layer) =>
  ['raw', 'recorded'].flatMap((source) => ['start', 'end'].map((edge) => `${layer}:${source}:${edge}`))
);

describe('chooseSource', () => {
  test.each<[string, string[], 'raw' | 'recorded', string]>([
    ['both layers recorded over the whole window', BOTH_LAYERS_EVERYWHERE, 'recorded', 'cover the time range'],
    ['no recorded series at all', ['mesh:raw:start', 'mesh:raw:end', 'app:raw:end'], 'raw', 'has no series'],
    [
      'the app’s recorded series missing (rules for other conventions)',
      BOTH_LAYERS_EVERYWHERE.filter((k) => !k.startsWith('app:recorded')),
      'raw',
      'write no app series',
    ],
    [
      'rules that started inside the window',
      BOTH_LAYERS_EVERYWHERE.filter((k) => !k.endsWith('recorded:start')),
      'raw',
      'begin after the start',
    ],
    [
      'a mesh-only store with the rules',
      ['mesh:raw:start', 'mesh:raw:end', 'mesh:recorded:start', 'mesh:recorded:end'],
      'recorded',
      'cover the time range',
    ],
    [
      'a mesh that appeared inside the window, recorded since',
      ['mesh:raw:end', 'mesh:recorded:end'],
      'recorded',
      'cover the time range',
    ],
  ])('%s → %s', (_what, keys, path, reason) => {
    const source = chooseSource(readCoverage(samples(...keys)));
    expect(source.path).toBe(path);
    expect(source.reason).toContain(reason);
  });

  it('ignores zero counts and labels it does not know', () => {
    const coverage = readCoverage([
      { labels: { [COVERAGE_LABEL]: 'mesh:recorded:end' }, value: 0 },
      { labels: { [COVERAGE_LABEL]: 'disk:recorded:end' }, value: 1 },
      { labels: {}, value: 1 },
    ]);
    expect(chooseSource(coverage).path).toBe('raw');
  });
});

function fakeApi(answer: () => Promise<Sample[]>): PromApi & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    instant: (expr: string) => {
      calls.push(expr);
      return answer();
    },
  };
}

describe('resolveSource', () => {
  const query = { settings: DEFAULT_SETTINGS, windowSeconds: 3600 };

  it('asks the store nothing when the settings force a path', async () => {
    const api = fakeApi(() => Promise.resolve([]));
    await expect(resolveSource(api, query, 1000, { mode: 'raw' })).resolves.toMatchObject({ path: 'raw' });
    await expect(resolveSource(api, query, 1000, { mode: 'recorded' })).resolves.toMatchObject({ path: 'recorded' });
    expect(api.calls).toEqual([]);
  });

  it('asks once per settings, namespace and minute with a cache', async () => {
    const api = fakeApi(() => Promise.resolve(samples(...BOTH_LAYERS_EVERYWHERE)));
    const cache = new SourceCache();
    const ask = (time: number, namespace?: string) =>
      resolveSource(api, { ...query, namespace }, time, { mode: 'auto', cache });
    expect((await ask(6000)).path).toBe('recorded');
    await ask(6030);
    expect(api.calls).toHaveLength(1);
    await ask(6030, 'shop');
    await ask(6060);
    expect(api.calls).toHaveLength(3);
  });

  it('falls back to the raw series, saying why, when the check fails', async () => {
    const api = fakeApi(() => Promise.reject(new PromQueryError('http', 'HTTP 502 from the datasource')));
    const source = await resolveSource(api, query, 1000, { mode: 'auto' });
    expect(source).toEqual({
      path: 'raw',
      reason: 'the check for recorded series failed (HTTP 502 from the datasource)',
    });
  });

  it('passes a cancellation on and does not keep it', async () => {
    let cancel = true;
    const api = fakeApi(() =>
      cancel ? Promise.reject(new PromQueryError('cancelled', 'cancelled')) : Promise.resolve([])
    );
    const cache = new SourceCache();
    await expect(resolveSource(api, query, 1000, { mode: 'auto', cache })).rejects.toThrow('cancelled');
    cancel = false;
    await expect(resolveSource(api, query, 1000, { mode: 'auto', cache })).resolves.toMatchObject({ path: 'raw' });
  });
});
