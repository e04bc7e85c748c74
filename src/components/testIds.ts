/** Every data-testid of the app, used by the components and by the browser and plugin-e2e specs. */
export const testIds = {
  appConfig: {
    container: 'data-testid ac-container',
    metricsDatasource: 'data-testid ac-metrics-datasource',
    tracesDatasource: 'data-testid ac-traces-datasource',
    labelSchema: 'data-testid ac-label-schema',
    semconv: 'data-testid ac-semconv',
    appServiceLabel: 'data-testid ac-app-service-label',
    threshold: (key: string) => `data-testid ac-threshold-${key}`,
    overrideRow: 'data-testid ac-override-row',
    addOverride: 'data-testid ac-add-override',
    submit: 'data-testid ac-submit',
    test: 'data-testid ac-test',
    testResult: 'data-testid ac-test-result',
  },
  notConfigured: 'data-testid not-configured',
  pageDescription: 'data-testid page-description',
  service: {
    header: 'data-testid service-header',
    traceLink: 'trace-link',
  },
  cardinality: {
    total: (layer: string) => `data-testid cardinality-total-${layer}`,
    family: 'cardinality-family',
    labelSaving: 'cardinality-label-saving',
    unusedFamily: 'cardinality-unused-family',
    saving: 'data-testid cardinality-saving',
    snippet: 'cardinality-snippet',
    error: 'data-testid cardinality-error',
  },
  serviceMap: {
    edge: 'map-edge',
    error: 'data-testid map-error',
  },
  overview: {
    table: 'data-testid overview-table',
    row: 'overview-row',
    cell: (column: string) => `cell-${column}`,
    error: 'data-testid overview-error',
    empty: 'data-testid overview-empty',
  },
};
