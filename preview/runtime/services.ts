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
import { Observable, from, lastValueFrom, of } from 'rxjs';
import { catchError, map, startWith } from 'rxjs/operators';
import { bootDatasources } from '../boot';
import { PLUGIN_ID } from '../../src/constants';
import { SETTINGS_STORAGE_KEY } from '../constants';
import { registerStandardFieldConfig } from './fieldConfig';
import { previewPanels } from './panels';
import { PreviewPromDatasource } from './promDatasource';

const instances = bootDatasources.map((ds) => ds as unknown as DataSourceInstanceSettings);
const datasources = new Map(instances.map((settings) => [settings.uid, new PreviewPromDatasource(settings)]));

/** A datasource by uid or name; no reference (or `default`) is the default one, as in Grafana's DatasourceSrv. */
function findSettings(
  ref: Parameters<DataSourceSrv['getInstanceSettings']>[0]
): DataSourceInstanceSettings | undefined {
  const key = typeof ref === 'string' ? ref : ref?.uid;
  if (!key || key === 'default') {
    return instances[0];
  }
  return instances.find((ds) => ds.uid === key || ds.name === key);
}

const dataSourceSrv: DataSourceSrv = {
  get: async (ref) => {
    const settings = findSettings(ref);
    if (!settings) {
      throw new Error(`Datasource ${typeof ref === 'string' ? ref : ref?.uid} was not found`);
    }
    return datasources.get(settings.uid) as unknown as DataSourceApi;
  },
  getList: (filters) => instances.filter((ds) => !filters?.filter || filters.filter(ds)),
  getInstanceSettings: (ref) => findSettings(ref),
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
  // As Grafana's runRequest (public/app/features/query/state/runRequest.ts, processResponsePacket): an answer that
  // carries errors is in the Error state with them, so each panel shows its own failure in its corner.
  return response.pipe(
    map((r: DataQueryResponse): PanelData => ({
      state: r.state ?? (r.error || r.errors?.length ? LoadingState.Error : LoadingState.Done),
      series: r.data,
      timeRange: request.range,
      request,
      ...(r.error ? { error: r.error } : {}),
      ...(r.errors?.length ? { errors: r.errors } : {}),
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
  const base = { redirected: false, type: 'basic' as const, url: request.url, config: request };
  const settingsUrl = `/api/plugins/${PLUGIN_ID}/settings`;
  if (request.url === settingsUrl && request.method === 'POST') {
    const { jsonData } = request.data as { jsonData: unknown };
    localStorage.setItem(SETTINGS_STORAGE_KEY, JSON.stringify(jsonData));
    return of({ ...base, data: {} as T, status: 200, ok: true, statusText: 'OK', headers: new Headers() });
  }
  const params = request.params
    ? `${request.url.includes('?') ? '&' : '?'}${new URLSearchParams(request.params as Record<string, string>)}`
    : '';
  // Like Grafana's backendSrv: unsubscribing aborts the request; a status outside 2xx is thrown as a FetchError.
  return new Observable<FetchResponse<T>>((subscriber) => {
    const controller = new AbortController();
    fetch(`${request.url}${params}`, {
      method: request.method ?? 'GET',
      headers: { ...(request.data ? { 'Content-Type': 'application/json' } : {}), ...(request.headers ?? {}) },
      body: request.data ? JSON.stringify(request.data) : undefined,
      signal: controller.signal,
    })
      .then(async (response) => {
        const text = await response.text();
        let data: unknown = text;
        try {
          data = JSON.parse(text);
        } catch {
          // Not JSON: the text itself, as Grafana's backendSrv keeps it.
        }
        const result = {
          ...base,
          data: data as T,
          status: response.status,
          ok: response.ok,
          statusText: response.statusText,
          headers: response.headers,
        };
        if (!response.ok) {
          subscriber.error({
            ...result,
            message: typeof data === 'object' && data && 'message' in data ? data.message : response.statusText,
          });
          return;
        }
        subscriber.next(result);
        subscriber.complete();
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) {
          subscriber.error({ ...base, data: { message: String(error) }, status: 502, statusText: String(error) });
        }
      });
    return () => controller.abort();
  });
}

const backendSrv = {
  fetch: fetchResponse,
  get: <T>(url: string, params?: Record<string, unknown>) =>
    lastValueFrom(fetchResponse<T>({ url, params })).then((r) => r.data),
  post: <T>(url: string, data?: unknown) =>
    lastValueFrom(fetchResponse<T>({ url, method: 'POST', data })).then((r) => r.data),
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
