import type { Labels } from './series';

/** Escapes a label value for the Prometheus text exposition format. */
export function escapeExpositionValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Labels in the order given: a Linkerd proxy writes them in a fixed order of its own (linkerd/metrics). */
export function formatLabels(labels: Labels): string {
  const parts = Object.keys(labels).map((name) => `${name}="${escapeExpositionValue(labels[name])}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(12);
}

/** One line of the text format; `timestampMs` makes it an import line. */
export function sampleLine(name: string, labels: Labels, value: number, timestampMs?: number): string {
  const base = `${name}${formatLabels(labels)} ${formatValue(value)}`;
  return timestampMs === undefined ? base : `${base} ${timestampMs}`;
}
