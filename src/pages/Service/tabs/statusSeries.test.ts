import { createDataFrame, FieldType, type DataFrame } from '@grafana/data';
import { LINKERD_GRPC_FAILURE_CODES } from '../../../settings/types';
import { grpcSeries, httpSeries, styleStatusSeries } from './statusSeries';

function series(label: string, value: string): DataFrame {
  return createDataFrame({
    refId: 'grpc',
    fields: [
      { name: 'Time', type: FieldType.time, values: [1, 2] },
      {
        name: 'Value',
        type: FieldType.number,
        values: [1, 2],
        labels: { [label]: value },
        config: { displayNameFromDS: value },
      },
    ],
  });
}

const shown = (frames: DataFrame[]) =>
  frames.map((frame) => {
    const field = frame.fields[1];
    return [field.config.displayNameFromDS, field.config.color?.fixedColor];
  });

describe('status series', () => {
  it.each([
    ['14', '14 UNAVAILABLE', 'failure'],
    ['UNAVAILABLE', '14 UNAVAILABLE', 'failure'],
    ['The service is currently unavailable', '14 UNAVAILABLE', 'failure'],
    ['0', '0 OK', 'success'],
    ['5', '5 NOT_FOUND', 'other'],
    ['4', '4 DEADLINE_EXCEEDED', 'failure'],
    ['weird', 'gRPC weird', 'other'],
  ])('gRPC status %j reads %j, a %s', (value, name, outcome) => {
    expect(grpcSeries(value, LINKERD_GRPC_FAILURE_CODES)).toMatchObject({ name, outcome });
  });

  it('follows the configured failure codes', () => {
    expect(grpcSeries('5', [5]).outcome).toBe('failure');
    expect(grpcSeries('14', [5]).outcome).toBe('other');
  });

  it.each([
    ['503', 'failure'],
    ['200', 'success'],
    ['404', 'other'],
  ])('HTTP %s is a %s', (code, outcome) => {
    expect(httpSeries(code)).toMatchObject({ name: `HTTP ${code}`, outcome });
  });

  it('names the series by code, in code order, failures in red shades and success in green', () => {
    const frames = ['14', '0', '4', '5'].map((code) => series('grpc_status', code));
    expect(shown(styleStatusSeries(frames, 'grpc_status', (v) => grpcSeries(v, LINKERD_GRPC_FAILURE_CODES)))).toEqual([
      ['0 OK', 'green'],
      ['4 DEADLINE_EXCEEDED', 'red'],
      ['5 NOT_FOUND', 'blue'],
      ['14 UNAVAILABLE', 'dark-red'],
    ]);
  });

  it('leaves a series without the label as it came', () => {
    const frame = series('other_label', 'x');
    expect(styleStatusSeries([frame], 'status_code', httpSeries)).toEqual([frame]);
  });
});
