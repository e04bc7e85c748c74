import React from 'react';
import { Button, Combobox, Icon, InlineField, InlineSwitch, Input, Stack } from '@grafana/ui';
import type { Coverage } from '../../boundary/types';
import { NamespacePicker } from '../../components/NamespacePicker';
import { COVERAGE_TEXT } from '../../components/Flags/flagLabels';
import { COVERAGE_FILTERS, type OverviewFilters } from './overviewFilters';

const COVERAGE_OPTIONS: Array<{ label: string; value: Coverage | '' }> = [
  { label: 'All', value: '' },
  ...COVERAGE_FILTERS.map((coverage) => ({ label: COVERAGE_TEXT[coverage], value: coverage })),
];

interface Props {
  filters: OverviewFilters;
  namespaces: string[];
  onChange: (filters: Partial<OverviewFilters>) => void;
  /** Undefined while there is nothing to export. */
  onExport?: () => void;
  children?: React.ReactNode;
}

/** The overview's filters, all kept in the URL, and the export of the rows they leave. */
export function OverviewToolbar({ filters, namespaces, onChange, onExport, children }: Props) {
  return (
    <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
      <NamespacePicker
        namespaces={namespaces}
        value={filters.namespace}
        onChange={(namespace) => onChange({ namespace })}
      />
      <InlineField label="Flagged only">
        <InlineSwitch
          value={filters.flaggedOnly}
          onChange={(e) => onChange({ flaggedOnly: e.currentTarget.checked })}
        />
      </InlineField>
      <InlineField
        label="Coverage"
        tooltip="Meshed: a Linkerd proxy serves the workload. Instrumented: the app exports its own OpenTelemetry metrics."
      >
        <Combobox
          width={26}
          aria-label="Coverage"
          options={COVERAGE_OPTIONS}
          value={filters.coverage ?? ''}
          onChange={(option) => onChange({ coverage: option.value || undefined })}
        />
      </InlineField>
      <Input
        width={34}
        prefix={<Icon name="search" />}
        placeholder="Namespace, service or app name"
        aria-label="Search services"
        value={filters.search}
        onChange={(e) => onChange({ search: e.currentTarget.value })}
      />
      <Button
        variant="secondary"
        icon="download-alt"
        disabled={!onExport}
        onClick={onExport}
        tooltip="The rows as shown (filtered and sorted, every page), figures in base units"
      >
        Export CSV
      </Button>
      {children}
    </Stack>
  );
}
