import { PromQueryError } from '../query/promApi';
import { createCardinalityApi, createPromMetaApi } from './promMeta';

interface Call {
  url: string;
  method: string;
}

function fakeFetch(status: number, body: string, calls: Call[] = []): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), method: init?.method ?? 'GET' });
    // jsdom has no Response: the part of it the client reads.
    return { ok: status >= 200 && status < 300, status, text: async () => body } as Response;
  }) as typeof fetch;
}

describe('createPromMetaApi', () => {
  it('asks /api/v1/labels for one selector and a whole-second range', async () => {
    const calls: Call[] = [];
    const api = createPromMetaApi({
      baseUrl: 'http://store:9090/',
      fetchFn: fakeFetch(200, '{"status":"success","data":["__name__","client_id","le"]}', calls),
    });
    expect(await api.labelNames('response_total{layer="mesh",job="a\\"b"}', 100.5, 400.2)).toEqual([
      '__name__',
      'client_id',
      'le',
    ]);
    expect(calls).toHaveLength(1);
    const url = new URL(calls[0].url);
    expect(url.origin + url.pathname).toBe('http://store:9090/api/v1/labels');
    expect(url.searchParams.getAll('match[]')).toEqual(['response_total{layer="mesh",job="a\\"b"}']);
    expect(url.searchParams.get('start')).toBe('100');
    expect(url.searchParams.get('end')).toBe('401');
  });

  it.each([
    [
      400,
      '{"status":"error","errorType":"bad_data","error":"parse error"}',
      'http',
      /rejected the label names request: parse error/,
    ],
    [401, 'no', 'http', /refused the request \(HTTP 401\)/],
    [404, 'not found', 'http', /no Prometheus label names API/],
    [502, 'bad gateway', 'http', /failed to list label names \(HTTP 502\): bad gateway/],
    [200, '<html>', 'bad-response', /not Prometheus JSON/],
    [200, '{"status":"error","error":"too many series"}', 'query', /too many series/],
    [200, '{"status":"success","data":{"a":1}}', 'bad-response', /not a list of names/],
    [200, '{"status":"success","data":["a",2]}', 'bad-response', /not a list of names/],
  ])('HTTP %d %s is a PromQueryError of kind %s', async (status, body, kind, message) => {
    const api = createPromMetaApi({ baseUrl: 'http://store', fetchFn: fakeFetch(status, body) });
    const error = await api.labelNames('x{}', 0, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PromQueryError);
    expect(error).toMatchObject({ kind, message: expect.stringMatching(message) });
  });

  it('reports an unreachable store', async () => {
    const fetchFn = (async () => {
      throw new TypeError('connect ECONNREFUSED');
    }) as typeof fetch;
    const api = createPromMetaApi({ baseUrl: 'http://store', fetchFn });
    await expect(api.labelNames('x{}', 0, 1)).rejects.toMatchObject({
      kind: 'network',
      message: 'the metrics datasource cannot be reached at http://store/api/v1/labels: connect ECONNREFUSED',
    });
  });

  it('gives up after the timeout', async () => {
    const fetchFn = ((_: RequestInfo | URL, init?: RequestInit) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
      })) as typeof fetch;
    const api = createPromMetaApi({ baseUrl: 'http://store', fetchFn, timeoutMs: 20 });
    await expect(api.labelNames('x{}', 0, 1)).rejects.toMatchObject({ kind: 'timeout' });
  });
});

describe('createCardinalityApi', () => {
  it('serves instant queries and label names from one base URL', async () => {
    const calls: Call[] = [];
    const api = createCardinalityApi({
      baseUrl: '/api/datasources/proxy/uid/abc',
      fetchFn: fakeFetch(200, '{"status":"success","data":{"resultType":"vector","result":[]}}', calls),
    });
    await api.instant('count(up)', 10);
    await api.labelNames('up{}', 0, 10).catch(() => undefined);
    expect(calls.map((c) => [c.method, c.url.split('?')[0]])).toEqual([
      ['POST', '/api/datasources/proxy/uid/abc/api/v1/query'],
      ['GET', '/api/datasources/proxy/uid/abc/api/v1/labels'],
    ]);
  });
});
