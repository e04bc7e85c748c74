import React, { useState } from 'react';
import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { DataSourcePicker } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, RadioButtonGroup, Stack } from '@grafana/ui';
import { resolveSettings, validateJoinOverrides } from '../../settings/settings';
import type {
  AppServiceLabel,
  AppSettings,
  LabelSchema,
  SemconvVersion,
  Thresholds,
  TracesDatasourceType,
} from '../../settings/types';
import { testIds } from '../testIds';
import { ConnectionTest } from './ConnectionTest';
import { isPromCompatible, isTracesDatasource } from './datasources';
import { JoinOverridesEditor } from './JoinOverridesEditor';
import { saveSettings } from './saveSettings';
import { thresholdErrors, ThresholdFields, type ThresholdDrafts } from './ThresholdFields';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<Partial<AppSettings>>> {}

const SCHEMA_OPTIONS: Array<{ label: string; value: LabelSchema; description: string }> = [
  { label: 'OTel Collector', value: 'otel', description: 'k8s_namespace_name, k8s_deployment_name, k8s_pod_name' },
  { label: "Linkerd's Prometheus", value: 'linkerd', description: 'namespace, deployment, pod' },
];
const SEMCONV_OPTIONS: Array<{ label: string; value: SemconvVersion; description: string }> = [
  {
    label: 'Stable (seconds)',
    value: 'stable',
    description: 'http_server_request_duration_seconds, rpc_server_call_duration_seconds',
  },
  {
    label: 'Before 1.21 (milliseconds)',
    value: 'legacy',
    description: 'http_server_duration_milliseconds, rpc_server_duration_milliseconds',
  },
];
const SERVICE_LABEL_OPTIONS: Array<{ label: string; value: AppServiceLabel; description: string }> = [
  { label: 'service_name', value: 'service_name', description: 'with resource_to_telemetry_conversion' },
  { label: 'job', value: 'job', description: 'namespace/name, the Prometheus default' },
];

function toDrafts(thresholds: Thresholds): ThresholdDrafts {
  return Object.fromEntries(Object.entries(thresholds).map(([k, v]) => [k, String(v)])) as ThresholdDrafts;
}

function fromDrafts(drafts: ThresholdDrafts): Thresholds {
  return Object.fromEntries(Object.entries(drafts).map(([k, v]) => [k, Number(v)])) as unknown as Thresholds;
}

const AppConfig = ({ plugin }: AppConfigProps) => {
  const { enabled, pinned, jsonData } = plugin.meta;
  const [settings, setSettings] = useState<AppSettings>(() => resolveSettings(jsonData));
  const [drafts, setDrafts] = useState<ThresholdDrafts>(() => toDrafts(settings.thresholds));
  const [saveError, setSaveError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const update = (patch: Partial<AppSettings>) => setSettings((s) => ({ ...s, ...patch }));

  const invalid =
    Object.keys(thresholdErrors(drafts)).length > 0 ||
    Object.keys(validateJoinOverrides(settings.joinOverrides)).length > 0;
  const formSettings: AppSettings = invalid ? settings : { ...settings, thresholds: fromDrafts(drafts) };

  const onSave = async () => {
    setSaving(true);
    setSaveError(undefined);
    try {
      await saveSettings(formSettings, { enabled, pinned });
    } catch (error) {
      setSaveError(error instanceof Error ? error.message : 'Grafana refused to save the settings.');
      setSaving(false);
    }
  };

  return (
    <div data-testid={testIds.appConfig.container}>
      <FieldSet label="Datasources">
        <Field
          label="Metrics datasource"
          description="Where the mesh and app metrics live: Prometheus, VictoriaMetrics, Mimir or any PromQL store."
          required
        >
          <div data-testid={testIds.appConfig.metricsDatasource}>
            <DataSourcePicker
              current={settings.metricsDatasourceUid ?? null}
              filter={isPromCompatible}
              noDefault
              width={40}
              placeholder="Choose a Prometheus-compatible datasource"
              onChange={(ds) => update({ metricsDatasourceUid: ds.uid })}
            />
          </div>
        </Field>
        <Field
          label="Traces datasource"
          description="Optional: Tempo or Jaeger, for the links from anomalies to traces."
        >
          <div data-testid={testIds.appConfig.tracesDatasource}>
            <DataSourcePicker
              current={settings.tracesDatasourceUid ?? null}
              filter={isTracesDatasource}
              noDefault
              width={40}
              placeholder="None"
              onChange={(ds) =>
                update({ tracesDatasourceUid: ds.uid, tracesDatasourceType: ds.type as TracesDatasourceType })
              }
              onClear={() => update({ tracesDatasourceUid: undefined, tracesDatasourceType: undefined })}
            />
          </div>
        </Field>
      </FieldSet>

      <FieldSet label="How the layers are labelled">
        <Field label="Mesh label schema" description="Which labels name the namespace and workload of mesh series.">
          <RadioButtonGroup
            options={SCHEMA_OPTIONS}
            value={settings.labelSchema}
            onChange={(labelSchema) => update({ labelSchema })}
            data-testid={testIds.appConfig.labelSchema}
          />
        </Field>
        <Field
          label="Semantic conventions"
          description="Which OpenTelemetry HTTP/RPC server duration metrics the apps export."
        >
          <RadioButtonGroup
            options={SEMCONV_OPTIONS}
            value={settings.semconv}
            onChange={(semconv) => update({ semconv })}
          />
        </Field>
        <Field label="App service label" description="The label that names the service on app series.">
          <RadioButtonGroup
            options={SERVICE_LABEL_OPTIONS}
            value={settings.appServiceLabel}
            onChange={(appServiceLabel) => update({ appServiceLabel })}
          />
        </Field>
        <Field label="Join overrides" description="When an app's service.name differs from its workload name.">
          <JoinOverridesEditor
            overrides={settings.joinOverrides}
            onChange={(joinOverrides) => update({ joinOverrides })}
          />
        </Field>
      </FieldSet>

      <FieldSet label="Detection thresholds">
        <ThresholdFields drafts={drafts} onChange={setDrafts} />
      </FieldSet>

      <FieldSet label="Check and save">
        <Stack direction="column" gap={2}>
          <ConnectionTest settings={formSettings} />
          {saveError && (
            <Alert severity="error" title="Settings not saved">
              {saveError}
            </Alert>
          )}
          <div>
            <Button
              onClick={onSave}
              disabled={invalid || saving}
              icon={saving ? 'spinner' : undefined}
              data-testid={testIds.appConfig.submit}
              tooltip={invalid ? 'Fix the fields marked in red first' : undefined}
            >
              Save settings
            </Button>
          </div>
        </Stack>
      </FieldSet>
    </div>
  );
};

export default AppConfig;
