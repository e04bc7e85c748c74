/**
 * What each recording rule costs in series, measured against the store: one instant `count(<expr>)` per rule,
 * a fixed number of queries whatever the number of services. Rules that read recorded series (the signals) can
 * only be measured once the rates they read are in the store; the caller is told how many of those are there.
 */
import { PromQueryError, type PromApi, type QueryOptions } from '../query/promApi';
import { seriesCountQuery, storedSeriesCountQuery } from '../query/ruleQueries';
import type { Sample } from '../query/sample';
import { isAlertingRule, type RuleGroup } from './types';

export interface RuleCost {
  group: string;
  record: string;
  /** Series the rule writes per evaluation; undefined when the query failed. */
  series?: number;
  error?: string;
}

export interface RuleCosts {
  rules: RuleCost[];
  /** The series of the measured rules, together. */
  total: number;
  /** How many of the first group's recorded series the store holds now: what the later rules read. */
  recordedInStore?: number;
  recordedInStoreError?: string;
  /** Alerting rules: they write only `ALERTS` series, while pending or firing. */
  alerts: number;
  queries: number;
}

/** At most this many count queries in flight: a rule's expression can read every raw bucket series. */
const IN_FLIGHT = 4;

async function inBatches<T, R>(items: T[], run: (item: T) => Promise<R>): Promise<Array<PromiseSettledResult<R>>> {
  const results: Array<PromiseSettledResult<R>> = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]).then(
        (value): PromiseFulfilledResult<R> => ({ status: 'fulfilled', value }),
        (reason: unknown): PromiseRejectedResult => ({ status: 'rejected', reason })
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, items.length) }, worker));
  return results;
}

/** A count query's answer: one sample, or none when the expression gives no series. */
export function readCount(samples: Sample[]): number {
  const value = samples[0]?.value;
  return value !== undefined && Number.isFinite(value) ? value : 0;
}

function message(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

export async function measureRuleCosts(
  api: PromApi,
  groups: RuleGroup[],
  timeSeconds: number,
  options: QueryOptions = {}
): Promise<RuleCosts> {
  const recording = groups.flatMap((group) =>
    group.rules.flatMap((rule) => (isAlertingRule(rule) ? [] : [{ group: group.name, rule }]))
  );
  // Once each: the mesh bucket name is recorded by several rules (ruleQueries.ts MESH_BUCKET_LE_PARTS).
  const firstGroupNames = [
    ...new Set(groups[0]?.rules.flatMap((rule) => (isAlertingRule(rule) ? [] : [rule.record])) ?? []),
  ];
  const ask = (expr: string) => api.instant(expr, timeSeconds, options);
  const storedNow: Promise<Pick<RuleCosts, 'recordedInStore' | 'recordedInStoreError'>> =
    firstGroupNames.length === 0
      ? Promise.resolve({ recordedInStore: 0 })
      : ask(storedSeriesCountQuery(firstGroupNames)).then(
          (samples) => ({ recordedInStore: readCount(samples) }),
          (reason: unknown) => ({ recordedInStoreError: message(reason) })
        );
  const [answers, stored] = await Promise.all([
    inBatches(recording, ({ rule }) => ask(seriesCountQuery(rule.expr))),
    storedNow,
  ]);
  if (options.signal?.aborted) {
    throw new PromQueryError('cancelled', 'the request was cancelled');
  }
  const rules: RuleCost[] = recording.map(({ group, rule }, i) => {
    const answer = answers[i];
    return answer.status === 'fulfilled'
      ? { group, record: rule.record, series: readCount(answer.value) }
      : { group, record: rule.record, error: message(answer.reason) };
  });
  return {
    rules,
    total: rules.reduce((sum, r) => sum + (r.series ?? 0), 0),
    ...stored,
    alerts: groups.reduce((sum, g) => sum + g.rules.filter(isAlertingRule).length, 0),
    queries: recording.length + (firstGroupNames.length > 0 ? 1 : 0),
  };
}
