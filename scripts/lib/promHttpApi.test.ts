import { PromQueryError } from '../../src/query/promApi';
import { createPromHttpApi } from './promHttpApi';

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

describe('createPromHttpApi', () => {
  it('asks /api/v1/labels for one selector and a whole-second range', async () => {
    const calls: Call[] = [];
    const api = createPromHttpApi({
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

  it('asks /api/v1/label/<name>/values for one label', async () => {
    const calls: Call[] = [];
    const api = createPromHttpApi({
      baseUrl: 'http://store',
      fetchFn: fakeFetch(200, '{"status":"success","data":["1","+Inf"]}', calls),
    });
    expect(await api.labelValues('le', 'response_latency_ms_bucket{}', 0, 60)).toEqual(['1', '+Inf']);
    expect(new URL(calls[0].url).pathname).toBe('/api/v1/label/le/values');
  });

  it.each([
    [
      400,
      '{"status":"error","errorType":"bad_data","error":"parse error"}',
      'http',
      /rejected the label names request: parse error/,
    ],
    [401, 'no', 'http', /refused the request \(HTTP 401\)/],
    [404, 'not found', 'http', /no Prometheus API/],
    [502, 'bad gateway', 'http', /failed \(HTTP 502\): bad gateway/],
    [200, '<html>', 'bad-response', /not Prometheus JSON/],
    [200, '{"status":"error","error":"too many series"}', 'query', /too many series/],
    [200, '{"status":"success","data":{"a":1}}', 'bad-response', /not a list of names/],
  ])('HTTP %d %s is a PromQueryError of kind %s', async (status, body, kind, message) => {
    const api = createPromHttpApi({ baseUrl: 'http://store', fetchFn: fakeFetch(status, body) });
    const error = await api.labelNames('x{}', 0, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PromQueryError);
    expect(error).toMatchObject({ kind, message: expect.stringMatching(message) });
  });

  it('reports an unreachable store', async () => {
    const fetchFn = (async () => {
      throw new TypeError('connect ECONNREFUSED');
    }) as typeof fetch;
    const api = createPromHttpApi({ baseUrl: 'http://store', fetchFn });
    await expect(api.labelNames('x{}', 0, 1)).rejects.toMatchObject({
      kind: 'network',
      message: 'the metrics datasource cannot be reached at http://store/api/v1/labels: connect ECONNREFUSED',
    });
  });

  it('gives up after the timeout, before the headers', async () => {
    const fetchFn = ((_: RequestInfo | URL, init?: RequestInit) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
      })) as typeof fetch;
    const api = createPromHttpApi({ baseUrl: 'http://store', fetchFn, timeoutMs: 20 });
    await expect(api.labelNames('x{}', 0, 1)).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('gives up after the timeout when the body stalls after the headers', async () => {
    const fetchFn = (async (_: RequestInfo | URL, init?: RequestInit) =>
      ({
        ok: true,
        status: 200,
        text: () =>
          new Promise((_resolve, reject) =>
            init?.signal?.addEventListener('abort', () => reject(new Error('aborted')))
          ),
      }) as unknown as Response) as typeof fetch;
    const api = createPromHttpApi({ baseUrl: 'http://store', fetchFn, timeoutMs: 20 });
    await expect(api.instant('up', 0)).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('is cancelled by its caller’s signal', async () => {
    const fetchFn = ((_: RequestInfo | URL, init?: RequestInit) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
      })) as typeof fetch;
    const api = createPromHttpApi({ baseUrl: 'http://store', fetchFn, timeoutMs: 60_000 });
    const controller = new AbortController();
    const pending = api.instant('up', 0, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
  });

  it('sends instant queries as a form POST', async () => {
    const calls: Call[] = [];
    const api = createPromHttpApi({
      baseUrl: 'http://store',
      fetchFn: fakeFetch(200, '{"status":"success","data":{"resultType":"vector","result":[]}}', calls),
    });
    await api.instant('count(up)', 10);
    expect(calls.map((c) => [c.method, c.url])).toEqual([['POST', 'http://store/api/v1/query']]);
  });
});
