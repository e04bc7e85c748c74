import React from 'react';
import { Combobox, InlineField } from '@grafana/ui';

interface Props {
  namespaces: string[];
  /** Undefined for all namespaces. */
  value?: string;
  onChange: (namespace?: string) => void;
}

/** The namespace filter the overview and the service map share: clearable, "All namespaces" when empty. */
export function NamespacePicker({ namespaces, value, onChange }: Props) {
  return (
    <InlineField label="Namespace">
      <Combobox
        width={24}
        isClearable
        placeholder="All namespaces"
        options={namespaces.map((ns) => ({ label: ns, value: ns }))}
        value={value ?? null}
        onChange={(option) => onChange(option?.value)}
      />
    </InlineField>
  );
}
