import {
  EventBusSrv,
  LoadingState,
  PanelPlugin,
  standardTransformersRegistry,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceApi,
  type DataSourceInstanceSettings,
  type PanelData,
  type PluginMeta,
  type ScopedVars,
} from '@grafana/data';
import {
  setAppEvents,
  setBackendSrv,
  setDataSourceSrv,
  setPluginImportUtils,
  setRunRequest,
  setTemplateSrv,
  type BackendSrv,
  type BackendSrvRequest,
  type DataSourceSrv,
  type FetchResponse,
  type TemplateSrv,
} from '@grafana/runtime';
import { sceneGraph, type SceneObject } from '@grafana/scenes';
import { Observable, from, of } from 'rxjs';
import { catchError, map, startWith } from 'rxjs/operators';
import { bootDatasource } from '../boot';
import { PLUGIN_ID } from '../../src/constants';
import { SETTINGS_STORAGE_KEY } from '../constants';
import { registerStandardFieldConfig } from './fieldConfig';
import { previewPanels } from './panels';
import { PreviewPromDatasource } from './promDatasource';

const instanceSettings = bootDatasource as unknown as DataSourceInstanceSettings;
const datasource = new PreviewPromDatasource(instanceSettings);

const dataSourceSrv: DataSourceSrv = {
  get: async (ref) => {
    const uid = typeof ref === 'string' ? ref : ref?.uid;
    if (uid && uid !== instanceSettings.uid && uid !== instanceSettings.name && uid !== 'default') {
      throw new Error(`Datasource ${uid} was not found`);
    }
    return datasource as unknown as DataSourceApi;
  },
  getList: (filters) => (filters?.filter && !filters.filter(instanceSettings) ? [] : [instanceSettings]),
  getInstanceSettings: (ref) => {
    const uid = typeof ref === 'string' ? ref : ref?.uid;
    return !uid || uid === instanceSettings.uid || uid === 'default' ? instanceSettings : undefined;
  },
  reload: async () => undefined,
  registerRuntimeDataSource: () => undefined,
};

/** `$var` interpolation: scenes hands over its scene object in the scoped vars. */
const templateSrv: TemplateSrv = {
  getVariables: () => [],
  replace: (target?: string, scopedVars?: ScopedVars) => {
    const sceneObject = scopedVars?.__sceneObject?.value as { valueOf(): SceneObject } | undefined;
    if (!target) {
      return '';
    }
    const withRange = target.replace(/\$__range\b/g, String(scopedVars?.__range?.value ?? '$__range'));
    return sceneObject ? sceneGraph.interpolate(sceneObject.valueOf(), withRange, scopedVars) : withRange;
  },
  containsTemplate: (target?: string) => Boolean(target?.includes('$')),
  updateTimeRange: () => undefined,
};

function runRequest(ds: DataSourceApi, request: DataQueryRequest): Observable<PanelData> {
  const result = ds.query(request);
  const response: Observable<DataQueryResponse> =
    result instanceof Promise ? from(result) : (result as Observable<DataQueryResponse>);
  const loading: PanelData = { state: LoadingState.Loading, series: [], timeRange: request.range, request };
  return response.pipe(
    map((r: DataQueryResponse): PanelData => ({
      state: LoadingState.Done,
      series: r.data,
      timeRange: request.range,
      request,
    })),
    startWith(loading),
    catchError((error: Error) =>
      of<PanelData>({
        state: LoadingState.Error,
        series: [],
        timeRange: request.range,
        request,
        error: { message: error.message },
        errors: [{ message: error.message }],
      })
    )
  );
}

/** The plugin settings endpoint is answered from local storage; everything else goes to the preview server. */
function fetchResponse<T>(request: BackendSrvRequest): Observable<FetchResponse<T>> {
  const settingsUrl = `/api/plugins/${PLUGIN_ID}/settings`;
  if (request.url === settingsUrl && request.method === 'POST') {
    const { jsonData } = request.data as { jsonData: unknown };
    localStorage.setItem(SETTINGS_STORAGE_KEY, JSON.stringify(jsonData));
    return of({
      data: {} as T,
      status: 200,
      ok: true,
      statusText: 'OK',
      headers: new Headers(),
      redirected: false,
      type: 'basic',
      url: request.url,
      config: request,
    });
  }
  return from(
    fetch(request.url, {
      method: request.method ?? 'GET',
      headers: request.data ? { 'Content-Type': 'application/json' } : undefined,
      body: request.data ? JSON.stringify(request.data) : undefined,
    }).then(async (response) => {
      const data = (await response.json().catch(() => undefined)) as T;
      const result = {
        data,
        status: response.status,
        ok: response.ok,
        statusText: response.statusText,
        headers: response.headers,
        redirected: false,
        type: response.type,
        url: request.url,
        config: request,
      };
      if (!response.ok) {
        throw result;
      }
      return result;
    })
  );
}

const backendSrv = {
  fetch: fetchResponse,
  get: async (url: string) => (await fetch(url)).json(),
  post: async (url: string, data?: unknown) =>
    (await fetch(url, { method: 'POST', body: JSON.stringify(data) })).json(),
} as unknown as BackendSrv;

export function installPreviewServices(): void {
  setAppEvents(new EventBusSrv());
  setDataSourceSrv(dataSourceSrv);
  setTemplateSrv(templateSrv);
  setRunRequest(runRequest);
  setBackendSrv(backendSrv);
  setPluginImportUtils({
    importPanelPlugin: async (id: string) => panelPlugin(id),
    getPanelPluginFromCache: (id: string) => panelPlugin(id),
  });
  standardTransformersRegistry.setInit(() => []);
  registerStandardFieldConfig();
}

const panelCache = new Map<string, PanelPlugin>();

function panelPlugin(id: string): PanelPlugin {
  let plugin = panelCache.get(id);
  if (!plugin) {
    const component = previewPanels[id] ?? previewPanels.unsupported;
    // Like Grafana's own panels: the standard field options (unit, min, max, colour …) apply to this one.
    plugin = new PanelPlugin(component).useFieldConfig();
    plugin.meta = { id, name: id, type: 'panel', info: { logos: { small: '', large: '' } } } as unknown as PluginMeta &
      typeof plugin.meta;
    panelCache.set(id, plugin);
  }
  return plugin;
}
