import { DEFAULT_SETTINGS } from '../settings/types';
import {
  blockedReason,
  buildReport,
  combinedCountsNeeded,
  labelsDroppedFrom,
  planDrop,
  rankLabelSavings,
  samplesPerMinute,
  unusedFamilies,
} from './budget';
import type { CardinalityMeasurement, DropSelection, FamilyMeasurement, LabelMeasurement } from './types';

const label = (name: string, distinctValues: number, seriesWithout: number): LabelMeasurement => ({
  label: name,
  distinctValues,
  seriesWithout,
});

/*
 * A small mesh and app, written as the store would count it:
 * - response_total: 12 series = 3 pods × 2 callers × 2 statuses; pod and target_addr each identify a pod.
 * - response_latency_ms_bucket: 4 histograms (2 pods × 2 callers) × 5 buckets.
 * - request_total: 6 series (3 pods × 2 callers); no view reads it.
 * - an app histogram's _count (read) and _sum (not read).
 */
const FAMILIES: FamilyMeasurement[] = [
  {
    family: 'response_total',
    layer: 'mesh',
    series: 12,
    labels: [
      label('client_id', 2, 6),
      label('instance', 3, 12),
      label('job', 1, 12),
      label('k8s_pod_name', 3, 12),
      label('status_code', 2, 6),
      label('target_addr', 3, 12),
    ],
  },
  {
    family: 'response_latency_ms_bucket',
    layer: 'mesh',
    histogram: { base: 'response_latency_ms', part: 'bucket' },
    series: 20,
    labels: [label('client_id', 2, 10), label('k8s_pod_name', 2, 20), label('le', 5, 4)],
  },
  {
    family: 'request_total',
    layer: 'mesh',
    series: 6,
    labels: [label('client_id', 2, 3), label('k8s_pod_name', 3, 6), label('target_addr', 3, 6)],
  },
  {
    family: 'http_server_request_duration_seconds_count',
    layer: 'app',
    histogram: { base: 'http_server_request_duration_seconds', part: 'count' },
    series: 8,
    labels: [label('http_response_status_code', 2, 4), label('service_name', 4, 8)],
  },
  {
    family: 'http_server_request_duration_seconds_sum',
    layer: 'app',
    histogram: { base: 'http_server_request_duration_seconds', part: 'sum' },
    series: 8,
    labels: [label('http_response_status_code', 2, 4), label('service_name', 4, 8)],
  },
];

const MEASUREMENT: CardinalityMeasurement = {
  evaluatedAtSeconds: 1_700_000_000,
  families: FAMILIES,
  absentFamilies: [{ family: 'tcp_open_total', layer: 'mesh' }],
  gaps: [],
  labelNameSyntax: 'classic',
  requests: 17,
};

const report = buildReport(MEASUREMENT, { settings: DEFAULT_SETTINGS, intervalSeconds: { mesh: 15, app: 30 } });
const family = (name: string) => report.families.find((f) => f.family === name)!;

describe('samplesPerMinute', () => {
  it.each([
    [100, 15, 400],
    [100, 60, 100],
    [0, 15, 0],
    [7, 30, 14],
    [1, 0.5, 120],
  ])('%d series every %d s is %d samples per minute', (series, interval, expected) => {
    expect(samplesPerMinute(series, interval)).toBe(expected);
  });

  it.each([0, -15, Number.NaN])('refuses an interval of %d s', (interval) => {
    expect(() => samplesPerMinute(10, interval)).toThrow(/positive number of seconds/);
  });
});

describe('buildReport', () => {
  it.each([
    // family, series, samples per minute, used by views, buckets, series per bucket
    ['response_total', 12, 48, true, undefined, undefined],
    ['response_latency_ms_bucket', 20, 80, true, 5, 4],
    ['request_total', 6, 24, false, undefined, undefined],
    ['http_server_request_duration_seconds_count', 8, 16, true, undefined, undefined],
    // The app's mean latency reads _sum (and _count).
    ['http_server_request_duration_seconds_sum', 8, 16, true, undefined, undefined],
  ])('%s: %d series, %d samples/min, read by views: %s, buckets %s × %s', (name, series, spm, used, buckets, spb) => {
    expect(family(name)).toMatchObject({ series, samplesPerScrape: series, samplesPerMinute: spm, usedByViews: used });
    expect(family(name).buckets).toBe(buckets);
    expect(family(name).seriesPerBucket).toBe(spb);
  });

  it.each([
    // family, label, distinct values, series saved, read by a view, blocked
    ['response_total', 'client_id', 2, 6, true, false],
    ['response_total', 'status_code', 2, 6, true, false],
    ['response_total', 'target_addr', 3, 0, false, false],
    ['response_total', 'k8s_pod_name', 3, 0, false, false],
    ['response_total', 'instance', 3, 0, false, true],
    ['response_total', 'job', 1, 0, false, true],
    ['response_latency_ms_bucket', 'le', 5, 16, true, true],
    ['response_latency_ms_bucket', 'client_id', 2, 10, true, false],
    ['request_total', 'client_id', 2, 3, false, false],
    ['http_server_request_duration_seconds_count', 'http_response_status_code', 2, 4, true, false],
    ['http_server_request_duration_seconds_count', 'service_name', 4, 0, true, false],
  ])('%s %s: %d values, saves %d, read: %s, blocked: %s', (name, labelName, distinct, saved, used, blocked) => {
    const cost = family(name).labels.find((l) => l.label === labelName)!;
    expect(cost).toMatchObject({ distinctValues: distinct, seriesSavedIfDropped: saved, usedByViews: used });
    expect(cost.blockedBy !== undefined).toBe(blocked);
  });

  it('orders labels by saving, then distinct values, then name', () => {
    expect(family('response_total').labels.map((l) => l.label)).toEqual([
      'client_id',
      'status_code',
      'instance',
      'k8s_pod_name',
      'target_addr',
      'job',
    ]);
  });

  it('orders families mesh first, then by series', () => {
    expect(report.families.map((f) => f.family)).toEqual([
      'response_latency_ms_bucket',
      'response_total',
      'request_total',
      'http_server_request_duration_seconds_count',
      'http_server_request_duration_seconds_sum',
    ]);
  });

  it('totals each layer, and what no view reads', () => {
    expect(report.totals).toEqual({
      mesh: { families: 3, series: 38, samplesPerMinute: 152, unusedSeries: 6, unusedSamplesPerMinute: 24 },
      app: { families: 2, series: 16, samplesPerMinute: 32, unusedSeries: 0, unusedSamplesPerMinute: 0 },
    });
    expect(report.intervalSeconds).toEqual({ mesh: 15, app: 30 });
    expect(report.absentFamilies).toEqual(MEASUREMENT.absentFamilies);
    expect(report.requests).toBe(17);
  });

  it('defaults to a 15 s scrape for the mesh and the SDK’s 60 s export for the app', () => {
    const defaults = buildReport(MEASUREMENT, { settings: DEFAULT_SETTINGS });
    expect(defaults.intervalSeconds).toEqual({ mesh: 15, app: 60 });
    expect(defaults.totals.app.samplesPerMinute).toBe(16);
  });

  it('never reports a negative saving (counts taken a moment apart on a live store)', () => {
    const live = buildReport(
      {
        ...MEASUREMENT,
        families: [{ family: 'response_total', layer: 'mesh', series: 5, labels: [label('x', 1, 6)] }],
      },
      { settings: DEFAULT_SETTINGS }
    );
    expect(live.families[0].labels[0].seriesSavedIfDropped).toBe(0);
  });

  it('reports a _bucket family without le as zero buckets, every series its own histogram', () => {
    const odd = buildReport(
      {
        ...MEASUREMENT,
        families: [{ ...FAMILIES[1], labels: [label('client_id', 2, 10)] }],
      },
      { settings: DEFAULT_SETTINGS }
    );
    expect(odd.families[0]).toMatchObject({ buckets: 0, seriesPerBucket: 20 });
  });
});

describe('blockedReason', () => {
  it.each([
    ['le', true],
    ['job', true],
    ['instance', true],
    ['layer', true],
    ['__name__', true],
    ['__meta_kubernetes_pod_name', true],
    ['target_addr', false],
    ['constructor', false],
    ['toString', false],
  ])('%s blocked: %s', (name, blocked) => {
    expect(blockedReason(name) !== undefined).toBe(blocked);
  });
});

describe('rankLabelSavings', () => {
  it('sums each label’s saving over the layer’s families, largest first', () => {
    const ranking = rankLabelSavings(report, { includeBlocked: true, layer: 'mesh' });
    expect(ranking.map((r) => [r.label, r.seriesSaved, r.samplesPerMinuteSaved, r.usedByViews])).toEqual([
      ['client_id', 19, 76, true],
      ['le', 16, 64, true],
      ['status_code', 6, 24, true],
      ['instance', 0, 0, false],
      ['job', 0, 0, false],
      ['k8s_pod_name', 0, 0, false],
      ['target_addr', 0, 0, false],
    ]);
    expect(ranking[0].families).toEqual([
      { family: 'response_latency_ms_bucket', seriesSaved: 10, usedByViews: true },
      { family: 'response_total', seriesSaved: 6, usedByViews: true },
      { family: 'request_total', seriesSaved: 3, usedByViews: false },
    ]);
  });

  it.each([
    [{}, ['client_id', 'http_response_status_code', 'status_code', 'k8s_pod_name', 'target_addr', 'service_name']],
    [{ includeUsed: false }, ['k8s_pod_name', 'target_addr']],
    [{ includeZero: false }, ['client_id', 'http_response_status_code', 'status_code']],
    [{ layer: 'app' as const }, ['http_response_status_code', 'service_name']],
    [{ includeBlocked: true, includeZero: false, layer: 'mesh' as const }, ['client_id', 'le', 'status_code']],
  ])('with %j offers %j', (options, labels) => {
    expect(rankLabelSavings(report, options).map((r) => r.label)).toEqual(labels);
  });

  it('keeps a label of both layers apart', () => {
    const both = buildReport(
      {
        ...MEASUREMENT,
        families: [
          { family: 'response_total', layer: 'mesh', series: 4, labels: [label('k8s_pod_name', 2, 2)] },
          {
            family: 'http_server_request_duration_seconds_count',
            layer: 'app',
            series: 4,
            labels: [label('k8s_pod_name', 2, 3)],
          },
        ],
      },
      { settings: DEFAULT_SETTINGS, intervalSeconds: { app: 15 } }
    );
    expect(rankLabelSavings(both).map((r) => [r.layer, r.label, r.seriesSaved])).toEqual([
      ['mesh', 'k8s_pod_name', 2],
      ['app', 'k8s_pod_name', 1],
    ]);
  });
});

describe('unusedFamilies', () => {
  it.each([
    [undefined, ['request_total']],
    ['mesh' as const, ['request_total']],
    ['app' as const, []],
  ])('layer %s: %j', (layer, families) => {
    expect(unusedFamilies(report, layer).map((f) => f.family)).toEqual(families);
  });
});

describe('labelsDroppedFrom', () => {
  const selection: DropSelection = {
    labels: [
      { label: 'target_addr' },
      { label: 'client_id', families: ['response_latency_ms_bucket'] },
      { label: 'service_name', families: ['http_server_request_duration_seconds_count'] },
      { label: 'target_addr', families: ['response_total'] },
    ],
    families: [],
  };
  it.each([
    ['response_total', 'mesh' as const, ['target_addr']],
    ['response_latency_ms_bucket', 'mesh' as const, ['client_id', 'target_addr']],
    ['http_server_request_duration_seconds_count', 'app' as const, ['service_name']],
    ['http_server_request_duration_seconds_sum', 'app' as const, []],
  ])('%s (%s): %j', (name, layer, labels) => {
    expect(labelsDroppedFrom({ family: name, layer }, selection)).toEqual(labels);
  });

  it('takes a label name classic PromQL cannot write, and refuses an empty one', () => {
    const family = { family: 'response_total', layer: 'mesh' as const };
    expect(labelsDroppedFrom(family, { labels: [{ label: 'k8s.pod.name' }], families: [] })).toEqual(['k8s.pod.name']);
    expect(() => labelsDroppedFrom(family, { labels: [{ label: '' }], families: [] })).toThrow(
      /a label name cannot be empty/
    );
  });
});

describe('planDrop', () => {
  const none: DropSelection = { labels: [], families: [] };
  const cases: Array<[string, DropSelection, Record<string, number>, Record<string, number>]> = [
    ['nothing', none, {}, {}],
    ['a family', { labels: [], families: ['request_total'] }, {}, { request_total: 0 }],
    [
      'a label that tells series apart',
      { labels: [{ label: 'client_id' }], families: [] },
      {},
      {
        response_total: 6,
        response_latency_ms_bucket: 10,
        request_total: 3,
      },
    ],
    ['a label one of many says the same as', { labels: [{ label: 'target_addr' }], families: [] }, {}, {}],
    [
      'two labels of one family (the combined count)',
      { labels: [{ label: 'client_id' }, { label: 'status_code' }], families: ['request_total'] },
      { response_total: 3 },
      { response_total: 3, response_latency_ms_bucket: 10, request_total: 0 },
    ],
    [
      'an app label, only where asked',
      {
        labels: [{ label: 'http_response_status_code', families: ['http_server_request_duration_seconds_sum'] }],
        families: [],
      },
      {},
      { http_server_request_duration_seconds_sum: 4 },
    ],
    ['a label no family has', { labels: [{ label: 'pod_template_hash' }], families: ['not_kept_total'] }, {}, {}],
    [
      'blocked labels, as the snippets leave them out',
      { labels: [{ label: 'le' }, { label: 'instance' }], families: [] },
      {},
      {},
    ],
  ];

  it.each(cases)('%s', (_, selection, combined, changed) => {
    const plan = planDrop(report, selection, combined);
    const after = Object.fromEntries(plan.families.map((f) => [f.family, f.seriesAfter]));
    const expected = Object.fromEntries(report.families.map((f) => [f.family, changed[f.family] ?? f.series]));
    expect(after).toEqual(expected);
    for (const f of plan.families) {
      expect(f.seriesSaved).toBe(f.seriesBefore - f.seriesAfter);
      expect(f.samplesPerMinuteSaved).toBe((f.seriesSaved * 60) / report.intervalSeconds[f.layer]);
    }
    const meshSaved = plan.families.filter((f) => f.layer === 'mesh').reduce((s, f) => s + f.seriesSaved, 0);
    expect(plan.totals.mesh.seriesSaved).toBe(meshSaved);
    expect(plan.totals.mesh.seriesBefore - plan.totals.mesh.seriesAfter).toBe(meshSaved);
  });

  it('names the labels each family loses, none for a dropped family', () => {
    const plan = planDrop(
      report,
      { labels: [{ label: 'client_id' }, { label: 'status_code' }], families: ['request_total'] },
      { response_total: 3 }
    );
    expect(plan.families.map((f) => [f.family, f.familyDropped, f.droppedLabels])).toEqual([
      ['response_latency_ms_bucket', false, ['client_id']],
      ['response_total', false, ['client_id', 'status_code']],
      ['request_total', true, []],
      ['http_server_request_duration_seconds_count', false, []],
      ['http_server_request_duration_seconds_sum', false, []],
    ]);
  });

  it('asks for a combined count only where two or more labels of a kept family go', () => {
    const selection: DropSelection = {
      labels: [{ label: 'client_id' }, { label: 'status_code' }, { label: 'target_addr' }],
      families: ['request_total'],
    };
    expect(combinedCountsNeeded(report, selection)).toEqual([
      { family: 'response_total', layer: 'mesh', labels: ['client_id', 'status_code', 'target_addr'] },
    ]);
    expect(() => planDrop(report, selection)).toThrow(/no combined count for response_total/);
  });
});
