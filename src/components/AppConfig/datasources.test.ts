import type { DataSourceInstanceSettings } from '@grafana/data';
import { isPromCompatible, isTracesDatasource } from './datasources';

const ds = (type: string) => ({ uid: type, name: type, type }) as DataSourceInstanceSettings;

describe('datasource pickers', () => {
  it.each([
    'prometheus',
    'grafana-amazonprometheus-datasource',
    'grafana-azureprometheus-datasource',
    'victoriametrics-metrics-datasource',
    'victoriametrics-datasource',
  ])('offers %s as the metrics datasource', (type) => {
    expect(isPromCompatible(ds(type))).toBe(true);
  });

  it.each(['loki', 'tempo', 'influxdb', 'graphite', 'grafana-testdata-datasource'])(
    'does not offer %s as the metrics datasource',
    (type) => {
      expect(isPromCompatible(ds(type))).toBe(false);
    }
  );

  it('offers Tempo and Jaeger as the traces datasource, nothing else', () => {
    expect(['tempo', 'jaeger', 'zipkin', 'prometheus', 'loki'].filter((type) => isTracesDatasource(ds(type)))).toEqual([
      'tempo',
      'jaeger',
    ]);
  });
});
