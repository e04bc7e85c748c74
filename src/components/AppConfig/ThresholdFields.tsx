import React from 'react';
import { Field, Input, Stack } from '@grafana/ui';
import { THRESHOLD_RULES, validateThreshold } from '../../settings/settings';
import type { Thresholds } from '../../settings/types';
import { testIds } from '../../testIds';

export type ThresholdDrafts = Record<keyof Thresholds, string>;

export function thresholdErrors(drafts: ThresholdDrafts): Partial<Record<keyof Thresholds, string>> {
  const errors: Partial<Record<keyof Thresholds, string>> = {};
  for (const key of Object.keys(drafts) as Array<keyof Thresholds>) {
    const error = validateThreshold(key, drafts[key]);
    if (error) {
      errors[key] = error;
    }
  }
  return errors;
}

const DESCRIPTIONS: Record<keyof Thresholds, string> = {
  grpcTrapPercent: 'Flag a service when this share of responses fails in gRPC trailers while HTTP says 200.',
  boundaryLatencyMs: 'Flag when mesh p95 − app p95 exceeds this…',
  boundaryLatencyPercent: '…and this share of the app p95.',
  disagreementPoints: 'Flag when mesh and app success rates are further apart than this.',
  disagreementRateFactor: 'Flag when one layer counts this many times the requests of the other.',
};

interface Props {
  drafts: ThresholdDrafts;
  onChange: (drafts: ThresholdDrafts) => void;
}

export function ThresholdFields({ drafts, onChange }: Props) {
  const errors = thresholdErrors(drafts);
  return (
    <Stack direction="row" wrap="wrap" gap={2}>
      {(Object.keys(THRESHOLD_RULES) as Array<keyof Thresholds>).map((key) => (
        <Field
          key={key}
          label={THRESHOLD_RULES[key].label}
          description={DESCRIPTIONS[key]}
          invalid={Boolean(errors[key])}
          error={errors[key]}
        >
          <Input
            id={`threshold-${key}`}
            width={20}
            inputMode="decimal"
            value={drafts[key]}
            data-testid={testIds.appConfig.threshold(key)}
            onChange={(event) => onChange({ ...drafts, [key]: event.currentTarget.value })}
          />
        </Field>
      ))}
    </Stack>
  );
}
