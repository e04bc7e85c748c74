import React, { useState } from 'react';
import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { DataSourcePicker } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, MultiCombobox, RadioButtonGroup, Stack } from '@grafana/ui';
import { GRPC_STATUS_NAMES } from '../../query/grpcStatus';
import {
  readJoinOverrides,
  resolveSettings,
  validateJoinOverrides,
  validateMeshSelector,
} from '../../settings/settings';
import {
  DEFAULT_MESH_SELECTORS,
  LINKERD_GRPC_FAILURE_CODES,
  type AppServiceLabel,
  type AppSettings,
  type LabelSchema,
  type MeshSelector,
  type RecordedSeriesMode,
  type SemconvVersion,
  type Thresholds,
  type TracesDatasourceType,
} from '../../settings/types';
import { testIds } from '../../testIds';
import { DatasourceCheck } from './DatasourceCheck';
import { isPromCompatible, isTracesDatasource } from './datasources';
import { JoinOverridesEditor } from './JoinOverridesEditor';
import { saveSettings } from './saveSettings';
import { thresholdErrors, ThresholdFields, type ThresholdDrafts } from './ThresholdFields';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<Partial<AppSettings>>> {}

const SCHEMA_OPTIONS: Array<{ label: string; value: LabelSchema; description: string }> = [
  {
    label: 'OTel Collector',
    value: 'otel',
    description: 'k8s_namespace_name, k8s_<kind>_name, k8s_pod_name; mesh series carry layer="mesh"',
  },
  {
    label: "Linkerd's Prometheus",
    value: 'linkerd',
    description: 'namespace, deployment/statefulset/…/k8s_job, pod; the linkerd-proxy scrape job, no layer label',
  },
];

const GRPC_CODE_OPTIONS = GRPC_STATUS_NAMES.map((name, code) => ({ label: `${name} (${code})`, value: code })).slice(1);

function sameSelector(a: MeshSelector, b: MeshSelector): boolean {
  return a.label === b.label && a.value === b.value;
}
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

const RECORDED_SERIES_OPTIONS: Array<{ label: string; value: RecordedSeriesMode; description: string }> = [
  {
    label: 'Auto',
    value: 'auto',
    description: 'The recording rules’ series where the store has them for the whole time range, else the raw ones',
  },
  { label: 'Raw series', value: 'raw', description: 'Always rate() over the raw series: exact, costly at scale' },
  {
    label: 'Recorded series',
    value: 'recorded',
    description: 'Always the meshlens:… series the rules write; empty where the rules do not run',
  },
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
  const [ignoredOverrides] = useState(() => readJoinOverrides(jsonData?.joinOverrides).ignored);
  const [drafts, setDrafts] = useState<ThresholdDrafts>(() => toDrafts(settings.thresholds));
  const [saveError, setSaveError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const update = (patch: Partial<AppSettings>) => setSettings((s) => ({ ...s, ...patch }));

  const selectorError = validateMeshSelector(settings.meshSelector);
  const invalid =
    Object.keys(thresholdErrors(drafts)).length > 0 ||
    Object.keys(validateJoinOverrides(settings.joinOverrides)).length > 0 ||
    selectorError !== undefined ||
    settings.grpcFailureCodes.length === 0;
  // What is saved: thresholds as numbers, overrides without stray spaces.
  const formSettings: AppSettings = invalid
    ? settings
    : {
        ...settings,
        thresholds: fromDrafts(drafts),
        joinOverrides: readJoinOverrides(settings.joinOverrides).overrides,
      };
  // Switching the schema switches a selector left at the old schema's default to the new one's.
  const setSchema = (labelSchema: LabelSchema) =>
    update({
      labelSchema,
      meshSelector: sameSelector(settings.meshSelector, DEFAULT_MESH_SELECTORS[settings.labelSchema])
        ? DEFAULT_MESH_SELECTORS[labelSchema]
        : settings.meshSelector,
    });

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
            onChange={setSchema}
            data-testid={testIds.appConfig.labelSchema}
          />
        </Field>
        <Field
          label="Mesh selector"
          description={
            'The label that tells the proxies’ series apart from everything else in the store: layer="mesh" where the ' +
            'Collector pipeline sets it, job="linkerd-proxy" on Linkerd’s Prometheus. Leave the label empty when only ' +
            'Linkerd’s families are named request_total, response_total, … in this store.'
          }
          invalid={Boolean(selectorError)}
          error={selectorError}
        >
          <Stack direction="row" gap={1} alignItems="center">
            <Input
              width={20}
              aria-label="Mesh selector label"
              placeholder="label"
              value={settings.meshSelector.label}
              data-testid={testIds.appConfig.meshSelectorLabel}
              onChange={(e) =>
                update({ meshSelector: { ...settings.meshSelector, label: e.currentTarget.value.trim() } })
              }
            />
            =
            <Input
              width={24}
              aria-label="Mesh selector value"
              placeholder="value"
              value={settings.meshSelector.value}
              data-testid={testIds.appConfig.meshSelectorValue}
              onChange={(e) => update({ meshSelector: { ...settings.meshSelector, value: e.currentTarget.value } })}
            />
          </Stack>
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
        <Field
          label="gRPC failure codes"
          description={
            'The gRPC statuses both layers count as failures. Linkerd’s default (linkerd2-proxy client-policy grpc.rs): ' +
            'UNKNOWN, DEADLINE_EXCEEDED, PERMISSION_DENIED, INTERNAL, UNAVAILABLE, DATA_LOSS.'
          }
          invalid={settings.grpcFailureCodes.length === 0}
          error="Choose at least one code."
        >
          <div data-testid={testIds.appConfig.grpcFailureCodes}>
            <MultiCombobox
              width={80}
              options={GRPC_CODE_OPTIONS}
              value={settings.grpcFailureCodes}
              onChange={(items) => update({ grpcFailureCodes: items.map((item) => item.value).sort((a, b) => a - b) })}
            />
            {settings.grpcFailureCodes.join(',') !== LINKERD_GRPC_FAILURE_CODES.join(',') && (
              <Button
                variant="secondary"
                fill="text"
                size="sm"
                onClick={() => update({ grpcFailureCodes: LINKERD_GRPC_FAILURE_CODES })}
              >
                Back to Linkerd’s codes
              </Button>
            )}
          </div>
        </Field>
        <Field label="Join overrides" description="When an app's service.name differs from its workload name.">
          <Stack direction="column" gap={1}>
            {ignoredOverrides.length > 0 && (
              <Alert severity="warning" title="Some saved join overrides were ignored">
                Entries {ignoredOverrides.map((i) => i + 1).join(', ')} of the saved overrides are not
                {' { appService, namespace, workload }'} with three text fields (a provisioning mistake?). Saving the
                settings keeps the rows below and drops them.
              </Alert>
            )}
            <JoinOverridesEditor
              overrides={settings.joinOverrides}
              onChange={(joinOverrides) => update({ joinOverrides })}
            />
          </Stack>
        </Field>
      </FieldSet>

      <FieldSet label="Large meshes">
        <Field
          label="Series the overview reads"
          description={
            'Mesh Lens’ recording rules (the Rules page, or provisioning/rules/) pre-aggregate each workload’s rates: ' +
            'the overview then reads a fraction of the series, with the same figures within 1 % on steady traffic.'
          }
        >
          <RadioButtonGroup
            options={RECORDED_SERIES_OPTIONS}
            value={settings.recordedSeries}
            onChange={(recordedSeries) => update({ recordedSeries })}
            data-testid={testIds.appConfig.recordedSeries}
          />
        </Field>
      </FieldSet>

      <FieldSet label="Detection thresholds">
        <ThresholdFields drafts={drafts} onChange={setDrafts} />
      </FieldSet>

      <FieldSet label="Check and save">
        <Stack direction="column" gap={2}>
          <DatasourceCheck settings={formSettings} />
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
