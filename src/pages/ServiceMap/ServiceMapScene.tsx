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
import { Alert, InlineField, InlineSwitch, LoadingPlaceholder, Stack, Text, useStyles2 } from '@grafana/ui';
import { runServiceMap } from '../../boundary/runServiceMap';
import { filterServiceMap, type ServiceMap } from '../../boundary/serviceMap';
import { NamespacePicker } from '../../components/NamespacePicker';
import { testIds } from '../../components/testIds';
import { loadOnTimeRange } from '../../scenes/loadOnTimeRange';
import { metricsApi } from '../../services/metricsApi';
import { getAppSettings } from '../../settings/appSettings';
import { EdgeTable } from './EdgeTable';
import { mapFrames } from './mapFrames';

export interface ServiceMapSceneState extends SceneObjectState {
  map?: ServiceMap;
  loading: boolean;
  error?: string;
  namespace?: string;
  flaggedNeighbourhood: boolean;
  panel: VizPanel;
}

/** The mesh as a graph: nodes from the overview's rows, edges from the callee's inbound series. */
export class ServiceMapScene extends SceneObjectBase<ServiceMapSceneState> {
  protected _urlSync = new SceneObjectUrlSyncConfig(this, { keys: ['namespace', 'focus'] });

  constructor(state: Partial<Omit<ServiceMapSceneState, 'panel'>> = {}) {
    super({
      loading: true,
      flaggedNeighbourhood: false,
      ...state,
      panel: PanelBuilders.nodegraph().setTitle('Service map').setHoverHeader(false).build(),
    });
    this.addActivationHandler(this._onActivate.bind(this));
  }

  private _onActivate() {
    return loadOnTimeRange(
      this,
      (window, signal) => runServiceMap(metricsApi(), getAppSettings(), window, { signal }),
      ({ loading, value, error }) => {
        this.setState(loading ? { loading, error } : { loading, error, map: value });
        this.showMap();
      }
    );
  }

  getUrlState(): SceneObjectUrlValues {
    return { namespace: this.state.namespace ?? null, focus: this.state.flaggedNeighbourhood ? 'flagged' : null };
  }

  updateFromUrl(values: SceneObjectUrlValues): void {
    const namespace = typeof values.namespace === 'string' && values.namespace ? values.namespace : undefined;
    this.setState({ namespace, flaggedNeighbourhood: values.focus === 'flagged' });
    this.showMap();
  }

  visibleMap(): ServiceMap | undefined {
    const { map, namespace, flaggedNeighbourhood } = this.state;
    return map && filterServiceMap(map, { namespace, flaggedNeighbourhood });
  }

  private showMap() {
    const visible = this.visibleMap();
    if (!visible) {
      return;
    }
    const timeRange = sceneGraph.getTimeRange(this).state.value;
    this.state.panel.setState({
      $data: new SceneDataNode({ data: { state: LoadingState.Done, series: mapFrames(visible), timeRange } }),
    });
  }

  setNamespace = (namespace?: string) => {
    this.setState({ namespace });
    this.showMap();
  };

  setFlaggedNeighbourhood = (flaggedNeighbourhood: boolean) => {
    this.setState({ flaggedNeighbourhood });
    this.showMap();
  };

  static Component = ServiceMapRenderer;
}

function ServiceMapRenderer({ model }: SceneComponentProps<ServiceMapScene>) {
  const styles = useStyles2(getStyles);
  const { map, loading, error, namespace, flaggedNeighbourhood, panel } = model.useState();
  const visible = model.visibleMap();
  const namespaces = map ? [...new Set(map.nodes.map((n) => n.namespace).filter(Boolean))].sort() : [];
  return (
    <div className={styles.container}>
      <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
        <NamespacePicker namespaces={namespaces} value={namespace} onChange={model.setNamespace} />
        <InlineField label="Flagged and their neighbours">
          <InlineSwitch
            value={flaggedNeighbourhood}
            onChange={(e) => model.setFlaggedNeighbourhood(e.currentTarget.checked)}
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
        <div data-testid={testIds.serviceMap.error}>
          <Alert severity="error" title="The service map could not be loaded">
            {error}. Check the metrics datasource on the configuration page.
          </Alert>
        </div>
      )}
      {!error && map && map.edges.length === 0 && (
        <Alert severity="info" title="No mesh edges in this time range">
          No inbound mesh traffic (response_total with layer=&quot;mesh&quot;, direction=&quot;inbound&quot;) was found.
          Widen the time range, or run the Test on the configuration page.
        </Alert>
      )}
      {!error && visible && visible.edges.length > 0 && (
        <>
          <div className={styles.graph}>
            <panel.Component model={panel} />
          </div>
          <EdgeTable edges={visible.edges} />
        </>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  graph: css({ height: 560 }),
  loading: css({ marginBottom: 0 }),
});
