import type { DurationUnit } from '../query/schema';

export function toMilliseconds(value: number, unit: DurationUnit): number {
  return unit === 's' ? value * 1000 : value;
}
