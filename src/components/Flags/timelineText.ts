/** The words and numbers the timeline adds to the overview's cells, without React. */
import { dateTimeFormat } from '@grafana/data';
import { formatDuration } from '../../boundary/format';
import type { FlagOnset, ServiceRow } from '../../boundary/types';
import type { FigureColumn } from '../ServiceFigures/columns';

const DAY_MS = 86_400_000;

/** A time of day, with the date when it is a day or more before the range's end (in the user's time zone). */
function clock(ms: number, endMs: number): string {
  return dateTimeFormat(ms, { format: endMs - ms >= DAY_MS ? 'MM-DD HH:mm' : 'HH:mm' });
}

/**
 * Since when a flag holds, in words: "since 14:05, 25 min"; "14:05 to 14:20" for a stretch that ended; "all along"
 * or "until 14:20" when it held from the range's start; "no single step" when only the window's figures show it.
 */
export function onsetText(onset: FlagOnset, endMs: number): string {
  switch (onset.state) {
    case 'since':
      return onset.untilMs === undefined
        ? `since ${clock(onset.sinceMs, endMs)}, ${formatDuration((endMs - onset.sinceMs) / 1000)}`
        : `${clock(onset.sinceMs, endMs)} to ${clock(onset.untilMs, endMs)}`;
    case 'all-along':
      return onset.untilMs === undefined ? 'all along' : `until ${clock(onset.untilMs, endMs)}`;
    case 'no-step':
      return 'over the range, no single step';
  }
}

/** A column's figure in the window compared with; undefined where that window had none. */
export function baselineValue(column: FigureColumn, row: ServiceRow): number | undefined {
  return row.baseline?.state === 'data' ? column.value({ ...row, ...row.baseline }) : undefined;
}

/**
 * The change of a figure against the baseline, in the figure's own terms: rates in per cent of the earlier rate,
 * shares in points, latencies in milliseconds. Undefined where either side has no figure.
 */
export function changeText(
  column: FigureColumn,
  now: number | undefined,
  before: number | undefined
): string | undefined {
  if (now === undefined || before === undefined) {
    return undefined;
  }
  // The sign of the figure as shown: a change that rounds to nothing is ±0.
  const signed = (x: number, digits: number, suffix: string) => {
    const shown = Math.abs(x).toFixed(digits);
    const sign = Number(shown) === 0 ? '±' : x > 0 ? '+' : '−';
    return `${sign}${shown}${suffix}`;
  };
  switch (column.unit) {
    case 'reqps': {
      if (before === 0) {
        return now === 0 ? '±0 %' : 'new';
      }
      const percent = ((now - before) / before) * 100;
      return signed(percent, Math.abs(percent) < 10 ? 1 : 0, ' %');
    }
    case 'percentunit':
      return signed((now - before) * 100, 1, ' pt');
    case 'ms': {
      const ms = now - before;
      return signed(ms, Math.abs(ms) < 10 ? 1 : 0, ' ms');
    }
  }
}
