import React from 'react';
import { css } from '@emotion/css';
import { LoadingState, type GrafanaTheme2 } from '@grafana/data';
import {
  PanelBuilders,
  SceneDataNode,
  SceneObjectBase,
  SceneObjectUrlSyncConfig,
  sceneGraph,
  type SceneComponentProps,
  type SceneObjectState,
  type SceneObjectUrlValues,
  type VizPanel,
} from '@grafana/scenes';
import { config } from '@grafana/runtime';
import { Alert, Combobox, InlineField, LoadingPlaceholder, Stack, Text, useStyles2 } from '@grafana/ui';
import { runServiceMap, type ServiceMapRefId } from '../../boundary/runServiceMap';
import type { QueryFailure } from '../../boundary/runOverview';
import { filterServiceMap, type MapFocus, type ServiceMap } from '../../boundary/serviceMap';
import { FLAG_IDS } from '../../constants';
import { NamespacePicker } from '../../components/NamespacePicker';
import { MAP_QUERY_PURPOSES, PartialFailures } from '../../components/PartialFailures';
import { testIds } from '../../testIds';
import { loadOnTimeRange } from '../../scenes/loadOnTimeRange';
import { metricsApi, overviewSourceCache } from '../../services/metricsApi';
import { getAppSettings } from '../../settings/appSettings';
import { LoadError } from '../../components/LoadError';
import { EdgeTable } from './EdgeTable';
import { MapLegend } from './MapLegend';
import { mapFlagName, mapFrames } from './mapFrames';

export interface ServiceMapSceneState extends SceneObjectState {
  map?: ServiceMap;
  loading: boolean;
  error?: string;
  /** Queries that failed while the others answered: their part of the map is missing, the rest is drawn. */
  failures: Array<QueryFailure<ServiceMapRefId>>;
  namespace?: string;
  /** Undefined shows every service. */
  focus?: MapFocus;
  panel: VizPanel;
}

/** The mesh as a graph: nodes from the overview's rows, edges from the callee's inbound series. */
export class ServiceMapScene extends SceneObjectBase<ServiceMapSceneState> {
  protected _urlSync = new SceneObjectUrlSyncConfig(this, { keys: ['namespace', 'focus'] });

  constructor(state: Partial<Omit<ServiceMapSceneState, 'panel'>> = {}) {
    super({
      loading: true,
      failures: [],
      ...state,
      panel: PanelBuilders.nodegraph().setTitle('Service map').setHoverHeader(false).build(),
    });
    this.addActivationHandler(this._onActivate.bind(this));
  }

  private _onActivate() {
    return loadOnTimeRange(
      this,
      (window, signal) =>
        runServiceMap(metricsApi(), getAppSettings(), window, { signal, sourceCache: overviewSourceCache }),
      ({ loading, value, error }) => {
        this.setState(loading ? { loading, error } : { loading, error, map: value, failures: value?.failures ?? [] });
        this.showMap();
      }
    );
  }

  getUrlState(): SceneObjectUrlValues {
    return { namespace: this.state.namespace ?? null, focus: this.state.focus ?? null };
  }

  updateFromUrl(values: SceneObjectUrlValues): void {
    const namespace = typeof values.namespace === 'string' && values.namespace ? values.namespace : undefined;
    const focus = FOCUS_OPTIONS.find((o) => o.value && o.value === values.focus)?.value || undefined;
    this.setState({ namespace, focus });
    this.showMap();
  }

  visibleMap(): ServiceMap | undefined {
    const { map, namespace, focus } = this.state;
    return map && filterServiceMap(map, { namespace, focus });
  }

  private showMap() {
    const visible = this.visibleMap();
    if (!visible) {
      return;
    }
    const timeRange = sceneGraph.getTimeRange(this).state.value;
    this.state.panel.setState({
      $data: new SceneDataNode({
        data: { state: LoadingState.Done, series: mapFrames(visible, config.theme2), timeRange },
      }),
    });
  }

  setNamespace = (namespace?: string) => {
    this.setState({ namespace });
    this.showMap();
  };

  setFocus = (focus?: MapFocus) => {
    this.setState({ focus });
    this.showMap();
  };

  static Component = ServiceMapRenderer;
}

function ServiceMapRenderer({ model }: SceneComponentProps<ServiceMapScene>) {
  const styles = useStyles2(getStyles);
  const { map, loading, error, failures, namespace, focus, panel } = model.useState();
  // Without the edge counts, no edges means no answer, not an idle mesh.
  const edgesFailed = failures.some((f) => f.refId === 'calleeResponses' || f.refId === 'callerResponses');
  const visible = model.visibleMap();
  const namespaces = map ? [...new Set(map.nodes.map((n) => n.namespace).filter(Boolean))].sort() : [];
  return (
    <div className={styles.container}>
      <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
        <NamespacePicker namespaces={namespaces} value={namespace} onChange={model.setNamespace} />
        <InlineField label="Focus" tooltip="Keeps these services and the services one edge away from them.">
          <Combobox
            width={40}
            options={FOCUS_OPTIONS}
            value={focus ?? ''}
            onChange={(option) => model.setFocus(option.value || undefined)}
          />
        </InlineField>
        {loading && <LoadingPlaceholder text="Querying the mesh edges…" className={styles.loading} />}
        {visible && (
          <Text color="secondary">
            {visible.nodes.length} nodes, {visible.edges.length} edges
          </Text>
        )}
      </Stack>
      {error && (
        <LoadError title="The service map could not be loaded" error={error} testId={testIds.serviceMap.error} />
      )}
      {!error && failures.length > 0 && (
        <PartialFailures failures={failures} purposes={MAP_QUERY_PURPOSES} testId={testIds.serviceMap.partialFailure} />
      )}
      {!error && !edgesFailed && map && map.edges.length === 0 && (
        <Alert severity="info" title="No mesh edges in this time range">
          No inbound mesh traffic (response_total with layer=&quot;mesh&quot;, direction=&quot;inbound&quot;) was found.
          Widen the time range, or run the Test on the configuration page.
        </Alert>
      )}
      {!error && visible && visible.edges.length > 0 && (
        <>
          <MapLegend nodes={visible.nodes} />
          <div className={styles.graph}>
            <panel.Component model={panel} />
          </div>
          <EdgeTable edges={visible.edges} />
        </>
      )}
    </div>
  );
}

/** The focus choices, kept in the URL as `focus=flagged` or `focus=<flag id>`. */
const FOCUS_OPTIONS: Array<{ label: string; value: MapFocus | '' }> = [
  { label: 'All services', value: '' },
  { label: 'Flagged services and their direct peers', value: 'flagged' },
  ...FLAG_IDS.map((id) => ({ label: `${mapFlagName(id)} and direct peers`, value: id })),
];

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  graph: css({ height: 560 }),
  loading: css({ marginBottom: 0 }),
});
