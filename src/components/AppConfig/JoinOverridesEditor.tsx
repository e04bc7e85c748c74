import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Field, IconButton, Input, Stack, Text, useStyles2 } from '@grafana/ui';
import { validateJoinOverrides } from '../../settings/settings';
import type { JoinOverride } from '../../settings/types';
import { testIds } from '../../testIds';

interface Props {
  overrides: JoinOverride[];
  onChange: (overrides: JoinOverride[]) => void;
}

const COLUMNS: Array<{ key: keyof JoinOverride; label: string; placeholder: string }> = [
  { key: 'appService', label: 'App service.name', placeholder: 'checkout-api' },
  { key: 'namespace', label: 'Namespace', placeholder: 'shop' },
  { key: 'workload', label: 'Mesh workload', placeholder: 'checkout' },
];

export function JoinOverridesEditor({ overrides, onChange }: Props) {
  const styles = useStyles2(getStyles);
  const errors = validateJoinOverrides(overrides);
  const update = (index: number, patch: Partial<JoinOverride>) =>
    onChange(overrides.map((o, i) => (i === index ? { ...o, ...patch } : o)));
  return (
    <Stack direction="column" gap={1}>
      {overrides.length > 0 && (
        <Stack direction="row" gap={1}>
          {COLUMNS.map((column) => (
            <div key={column.key} className={styles.header}>
              <Text color="secondary" variant="bodySmall">
                {column.label}
              </Text>
            </div>
          ))}
        </Stack>
      )}
      {overrides.length === 0 && (
        <Text color="secondary">
          No overrides: an app service joins the mesh workload of the same name in the same namespace.
        </Text>
      )}
      {overrides.map((override, index) => (
        <Field key={index} invalid={Boolean(errors[index])} error={errors[index]}>
          <Stack direction="row" gap={1} alignItems="center">
            {COLUMNS.map((column) => (
              <Input
                key={column.key}
                width={24}
                aria-label={`${column.label}, row ${index + 1}`}
                placeholder={column.placeholder}
                value={override[column.key]}
                data-testid={testIds.appConfig.overrideRow}
                onChange={(event) => update(index, { [column.key]: event.currentTarget.value })}
              />
            ))}
            <IconButton
              name="trash-alt"
              tooltip="Remove this override"
              onClick={() => onChange(overrides.filter((_, i) => i !== index))}
            />
          </Stack>
        </Field>
      ))}
      <div>
        <Button
          variant="secondary"
          icon="plus"
          size="sm"
          data-testid={testIds.appConfig.addOverride}
          onClick={() => onChange([...overrides, { appService: '', namespace: '', workload: '' }])}
        >
          Add override
        </Button>
      </div>
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  // Matches the inputs' width (24 grid units) so each header sits above its column.
  header: css({ width: theme.spacing(24) }),
});
