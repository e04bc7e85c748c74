/**
 * The preview's `/api/ds/query` stand-in held to Grafana's own golden files for its Prometheus backend
 * (testdata/SOURCE.md): what the store says, and the frames Grafana makes of it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertPrometheusBody, goDuration, interpolateVariables, queryDataResponse } from './promFrames';

const TESTDATA = join(__dirname, 'testdata');

function read(name: string): string {
  return readFileSync(join(TESTDATA, name), 'utf8');
}

/** A `.jsonc` golden: `//` comment lines (the generator's rendering of the frames) before the JSON. */
function golden(name: string): { status?: number; frames?: unknown[]; error?: string } {
  return JSON.parse(
    read(name)
      .split('\n')
      .filter((line) => !line.startsWith('//'))
      .join('\n')
  );
}

describe('the converter (promlib converter/prom.go)', () => {
  it.each([
    'prom-vector',
    'prom-matrix',
    'prom-matrix-with-nans',
    'prom-warnings',
    'prom-warnings-no-data',
    'prom-infos-no-data',
  ])('%s: the same frames', (name) => {
    const input = read(`converter-${name}.json`);
    expect(convertPrometheusBody(input).frames).toEqual(golden(`converter-${name}-frame.jsonc`).frames);
  });

  it('prom-error: the error text Grafana shows', () => {
    const converted = convertPrometheusBody(read('converter-prom-error.json'));
    expect(converted.error).toBe(golden('converter-prom-error-frame.jsonc').error);
    expect(converted.frames).toEqual([]);
  });

  it('a body that is not JSON', () => {
    expect(convertPrometheusBody('<html>bad gateway</html>').error).toMatch(
      /^response from prometheus couldn't be parsed\. it is non-json: /
    );
  });
});

interface GoldenQuery {
  Step: number;
  Expr?: string;
  LegendFormat?: string;
}

describe('the query response (promlib querydata/response.go parseResponse)', () => {
  it.each(['range_simple', 'range_nan', 'range_infinity', 'range_missing', 'range_auto'])(
    '%s: frames named and labelled as Grafana does',
    (name) => {
      const query = JSON.parse(read(`querydata-${name}.query.json`)) as GoldenQuery;
      const stepMs = query.Step * 1000;
      // promlib's golden harness runs with a 1 s scrape interval and the step as interval.
      const expr = interpolateVariables(query.Expr ?? '', { stepMs, intervalMs: stepMs, rangeMs: 0, scrapeMs: 1000 });
      const response = queryDataResponse(
        { expr, legendFormat: query.LegendFormat, stepMs },
        200,
        read(`querydata-${name}.result.json`)
      );
      expect(response).toEqual(golden(`querydata-${name}.result.golden.jsonc`));
    }
  );

  it('an empty result is one frame that carries the metadata', () => {
    const response = queryDataResponse(
      { expr: 'up', stepMs: 15_000 },
      200,
      '{"status":"success","data":{"resultType":"vector","result":[]}}'
    );
    expect(response).toEqual({
      status: 200,
      frames: [
        {
          schema: {
            meta: {
              typeVersion: [0, 0],
              executedQueryString: 'Expr: up\nStep: 15s',
              custom: { calculatedMinStep: 15000 },
            },
            fields: [],
          },
          data: { values: [] },
        },
      ],
    });
  });

  it('a refused query keeps the store’s status and error', () => {
    const response = queryDataResponse(
      { expr: 'x{', stepMs: 15_000 },
      400,
      '{"status":"error","errorType":"bad_data","error":"1:3: parse error: unexpected end of input"}'
    );
    expect(response).toMatchObject({
      status: 400,
      error: 'bad_data: 1:3: parse error: unexpected end of input',
      errorSource: '',
    });
  });

  it('an unexpected status is reported with the start of the body', () => {
    expect(queryDataResponse({ expr: 'up', stepMs: 1000 }, 500, 'boom')).toMatchObject({
      status: 500,
      error: 'unexpected response with status code 500: boom',
      errorSource: 'downstream',
    });
  });
});

describe('interpolateVariables (promlib models/query.go)', () => {
  it('fills Grafana’s interval and range variables', () => {
    const intervals = { stepMs: 30_000, intervalMs: 30_000, rangeMs: 3_600_000, scrapeMs: 15_000 };
    expect(
      interpolateVariables('rate(x[$__rate_interval]) + rate(x[${__interval}]) / $__range_s + $__range', intervals)
    ).toBe('rate(x[1m0s]) + rate(x[30s]) / 3600 + 3600s');
    expect(interpolateVariables('rate(x[$__rate_interval])', { ...intervals, intervalMs: 15_000 })).toBe(
      'rate(x[1m0s])'
    );
  });
});

describe('goDuration (Go time.Duration.String)', () => {
  it.each([
    [15_000, '15s'],
    [60_000, '1m0s'],
    [135_000, '2m15s'],
    [3_600_000, '1h0m0s'],
    [1500, '1.5s'],
  ])('%d ms → %s', (ms, text) => {
    expect(goDuration(ms)).toBe(text);
  });
});
