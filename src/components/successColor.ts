import { formattedValueToString, getValueFormat, type GrafanaTheme2 } from '@grafana/data';

/** Digits after the decimal point wherever a success rate is shown as a percentage ("95.00%"). */
export const PERCENT_DECIMALS = 2;

/** Success cut-offs in percent, compared with the percentage as displayed: 99.00 % is healthy, 95.00 % degraded. */
export const SUCCESS_CUTOFFS = { healthy: 99, degraded: 95 } as const;

export type SuccessLevel = 'healthy' | 'degraded' | 'failing' | 'unknown';

/** Grafana visualization colour names: resolved by the theme, so badges, arcs and dots share one red. */
export const SUCCESS_COLOR_NAMES: Record<Exclude<SuccessLevel, 'unknown'>, string> = {
  healthy: 'green',
  degraded: 'orange',
  failing: 'red',
};

const percentFormat = getValueFormat('percentunit');

/** A success rate (0–1) as every view shows it, with Grafana's percent unit: `0.95` → "95.00%". */
export function formatSuccess(rate: number | undefined): string {
  return rate === undefined || !Number.isFinite(rate)
    ? '–'
    : formattedValueToString(percentFormat(rate, PERCENT_DECIMALS));
}

/**
 * The level of a success rate, decided on the percentage as displayed: a rate shown as "95.00%" is degraded, never
 * failing, even when its unrounded value lies a hair under 0.95.
 */
export function successLevel(rate: number | undefined): SuccessLevel {
  if (rate === undefined || !Number.isFinite(rate)) {
    return 'unknown';
  }
  const shown = Number(percentFormat(rate, PERCENT_DECIMALS).text);
  return shown >= SUCCESS_CUTOFFS.healthy ? 'healthy' : shown >= SUCCESS_CUTOFFS.degraded ? 'degraded' : 'failing';
}

/** The theme's colour for a success rate (a CSS colour: the node graph draws edge colours as given). */
export function successColor(rate: number | undefined, theme: GrafanaTheme2): string {
  const level = successLevel(rate);
  return level === 'unknown'
    ? theme.colors.text.disabled
    : theme.visualization.getColorByName(SUCCESS_COLOR_NAMES[level]);
}
