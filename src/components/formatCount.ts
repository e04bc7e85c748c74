import { formattedValueToString, getValueFormat } from '@grafana/data';

const short = getValueFormat('short');

/** 12345 → "12.3 K": series and samples are counts. */
export function formatCount(value: number): string {
  return formattedValueToString(short(value, value < 1000 ? 0 : 1));
}
