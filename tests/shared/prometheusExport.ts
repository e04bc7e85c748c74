/**
 * A test stand-in for the Collector's `prometheusremotewrite` exporter: what it stores for the OTLP/JSON the
 * generator sends, written from the exporter's documented rules rather than from the generator's own naming
 * helpers, so the two can be checked against each other (generator/otlp.test.ts) and the generator's real
 * output can be loaded into VictoriaMetrics where no Collector runs (tests/integration/stackRehearsal.test.ts).
 */
export interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: number | string; doubleValue?: number };
}

export interface OtlpHistogramPoint {
  attributes: OtlpAttribute[];
  bucketCounts: Array<number | string>;
  explicitBounds: number[];
  count: number | string;
  sum: number;
  startTimeUnixNano: string;
  timeUnixNano: string;
}

export interface OtlpMetricsBody {
  resourceMetrics: Array<{
    resource: { attributes: OtlpAttribute[] };
    scopeMetrics: Array<{
      metrics: Array<{
        name: string;
        unit: string;
        histogram: { aggregationTemporality: number; dataPoints: OtlpHistogramPoint[] };
      }>;
    }>;
  }>;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpAttribute[];
  status: { code?: number };
}

export interface OtlpTracesBody {
  resourceSpans: Array<{ resource: { attributes: OtlpAttribute[] }; scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
}

export function attributeMap(attributes: OtlpAttribute[]): Record<string, string> {
  return Object.fromEntries(
    attributes.map(({ key, value }) => [key, String(value.stringValue ?? value.intValue ?? value.doubleValue)])
  );
}

/**
 * The samples stored for each histogram data point, keyed `name{sorted labels}`: dots become underscores, the
 * unit becomes a suffix, resource attributes become labels (resource_to_telemetry_conversion), job and instance
 * come from service.namespace/service.name and service.instance.id.
 */
export function exportedSamples(body: OtlpMetricsBody): Map<string, number> {
  const unitSuffix: Record<string, string> = { s: 'seconds', ms: 'milliseconds' };
  const sanitize = (name: string) => name.replace(/\./g, '_');
  const samples = new Map<string, number>();
  for (const rm of body.resourceMetrics) {
    const resource = attributeMap(rm.resource.attributes);
    const resourceLabels: Record<string, string> = {
      job: `${resource['service.namespace']}/${resource['service.name']}`,
      instance: resource['service.instance.id'],
    };
    for (const [key, value] of Object.entries(resource)) {
      resourceLabels[sanitize(key)] = value;
    }
    for (const metric of rm.scopeMetrics.flatMap((sm) => sm.metrics)) {
      const base = `${sanitize(metric.name)}_${unitSuffix[metric.unit]}`;
      for (const point of metric.histogram.dataPoints) {
        const labels = { ...resourceLabels };
        for (const [key, value] of Object.entries(attributeMap(point.attributes))) {
          labels[sanitize(key)] = value;
        }
        const key = (name: string, extra: Record<string, string> = {}) => {
          const all: Record<string, string> = { ...labels, ...extra };
          return `${name}{${Object.keys(all)
            .sort()
            .map((k) => `${k}="${all[k]}"`)
            .join(',')}}`;
        };
        let cumulative = 0;
        point.bucketCounts.forEach((count, i) => {
          cumulative += Number(count);
          const le = i < point.explicitBounds.length ? String(point.explicitBounds[i]) : '+Inf';
          samples.set(key(`${base}_bucket`, { le }), cumulative);
        });
        samples.set(key(`${base}_count`), Number(point.count));
        samples.set(key(`${base}_sum`), point.sum);
      }
    }
  }
  return samples;
}
