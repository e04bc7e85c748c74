import { mostSevereFirst } from '../../boundary/overview';
import type { Coverage, ServiceRow } from '../../boundary/types';
import {
  coverageFromUrl,
  DEFAULT_SORT,
  describeFilters,
  filterRows,
  nextSort,
  NO_FILTERS,
  pageFromUrl,
  sortFromUrl,
  sortRows,
  sortToUrl,
  worstFirst,
} from './overviewFilters';

function row(key: string, options: Partial<ServiceRow> & { success?: number; rps?: number } = {}): ServiceRow {
  const [namespace, service] = key.split('/');
  const { success, rps, ...rest } = options;
  return {
    key,
    namespace,
    service,
    coverage: 'both',
    mesh: rps === undefined ? undefined : { rps, successRate: success, grpcTrapCodes: [], latency: {} },
    outsideApp: {},
    flags: [],
    ...rest,
  };
}

const coverageRow = (key: string, coverage: Coverage) => row(key, { coverage });

const ROWS = [
  row('shop/payments', { flags: [{ id: 'grpc-trap', summary: '' }], rps: 40, success: 0.92 }),
  row('shop/currency', { appService: 'currency-api', rps: 35, success: 1 }),
  coverageRow('notify/email', 'app-only'),
  coverageRow('shop/recommendations', 'mesh-only'),
  coverageRow('billing/ledger', 'unknown'),
  row('billing/invoices', { rps: 5, success: 0.5 }),
];

const keys = (rows: ServiceRow[]) => rows.map((r) => r.key);

describe('overview filters', () => {
  it.each<[Coverage, string[]]>([
    ['app-only', ['notify/email']],
    ['mesh-only', ['shop/recommendations']],
    ['unknown', ['billing/ledger']],
    ['both', ['shop/payments', 'shop/currency', 'billing/invoices']],
  ])('keeps the services whose coverage is %s', (coverage, expected) => {
    expect(keys(filterRows(ROWS, { ...NO_FILTERS, coverage }))).toEqual(expected);
  });

  it.each([
    ['shop', ['shop/payments', 'shop/currency', 'shop/recommendations']],
    ['PAY', ['shop/payments']],
    ['currency-api', ['shop/currency']],
    ['shop/rec', ['shop/recommendations']],
    ['billing inv', ['billing/invoices']],
    ['  ', keys(ROWS)],
  ])('searches namespaces, services and app names: "%s"', (search, expected) => {
    expect(keys(filterRows(ROWS, { ...NO_FILTERS, search }))).toEqual(expected);
  });

  it('combines every filter', () => {
    expect(keys(filterRows(ROWS, { namespace: 'shop', flaggedOnly: true, coverage: 'both', search: 'pay' }))).toEqual([
      'shop/payments',
    ]);
  });

  it('says in words what nothing matched', () => {
    expect(describeFilters({ namespace: 'shop', flaggedOnly: true, coverage: 'app-only', search: 'pay  api' })).toBe(
      'No flagged service in namespace "shop" that is not meshed and whose namespace, name or app name contains "pay" and "api".'
    );
    expect(describeFilters({ ...NO_FILTERS, coverage: 'mesh-only' })).toBe('No service that is not instrumented.');
    expect(describeFilters({ ...NO_FILTERS, search: 'nope' })).toBe(
      'No service whose namespace, name or app name contains "nope".'
    );
  });
});

describe('overview sort', () => {
  it('sorts worst first by default: the most severe, then the busiest', () => {
    expect(keys(sortRows(ROWS, DEFAULT_SORT)).slice(0, 3)).toEqual([
      'shop/payments',
      'shop/currency',
      'billing/invoices',
    ]);
  });

  it.each([
    ['mesh-success', false],
    ['app-success', false],
    ['mesh-rps', true],
    ['mesh-p95', true],
    ['outside-app-mean', true],
    ['outside-app-p95', true],
    ['service', false],
  ])('a first click on %s sorts it worst first (descending: %s)', (key, descending) => {
    expect(nextSort(DEFAULT_SORT, key)).toEqual({ key, descending });
    expect(nextSort(nextSort(DEFAULT_SORT, key), key)).toEqual({ key, descending: !descending });
  });

  it('sorts by severity in the core’s own order, whatever order the rows came in', () => {
    const coreOrder = keys([...ROWS].sort(mostSevereFirst));
    expect(keys(sortRows([...ROWS].reverse(), DEFAULT_SORT))).toEqual(coreOrder);
    expect(keys(sortRows(ROWS, { key: 'severity', descending: false }))).toEqual([...coreOrder].reverse());
  });

  it('keeps the core’s order among equal figures: the flagged and busier first', () => {
    const equal = [
      row('a/quiet', { rps: 1, success: 1 }),
      row('b/busy', { rps: 9, success: 1 }),
      row('c/flagged', { rps: 1, success: 1, flags: [{ id: 'coverage', summary: '' }] }),
    ];
    expect(keys(sortRows(equal, worstFirst('mesh-success')))).toEqual(['c/flagged', 'b/busy', 'a/quiet']);
  });

  it('puts the lowest success first and services without the figure last', () => {
    expect(keys(sortRows(ROWS, worstFirst('mesh-success')))).toEqual([
      'billing/invoices',
      'shop/payments',
      'shop/currency',
      'billing/ledger',
      'notify/email',
      'shop/recommendations',
    ]);
  });
});

describe('overview URL', () => {
  it.each([
    [DEFAULT_SORT, { sort: null, dir: null }],
    [
      { key: 'mesh-success', descending: false },
      { sort: 'mesh-success', dir: null },
    ],
    [
      { key: 'mesh-success', descending: true },
      { sort: 'mesh-success', dir: 'desc' },
    ],
    [
      { key: 'severity', descending: false },
      { sort: 'severity', dir: 'asc' },
    ],
    [
      { key: 'mesh-p95', descending: true },
      { sort: 'mesh-p95', dir: null },
    ],
  ])('writes %j as %j and reads it back', (order, url) => {
    expect(sortToUrl(order)).toEqual(url);
    expect(sortFromUrl(url.sort ?? undefined, url.dir ?? undefined)).toEqual(order);
  });

  it('falls back to the defaults on values it does not know', () => {
    expect(sortFromUrl('constructor', 'asc')).toEqual(DEFAULT_SORT);
    expect(sortFromUrl('mesh-rps', 'sideways')).toEqual({ key: 'mesh-rps', descending: true });
    expect(coverageFromUrl('everything')).toBeUndefined();
    expect(coverageFromUrl('app-only')).toBe('app-only');
  });

  it.each([
    ['2', 1],
    ['1', 0],
    ['0', 0],
    ['-3', 0],
    ['two', 0],
    [undefined, 0],
    [['2', '3'], 0],
  ])('page %j opens page index %d', (value, page) => {
    expect(pageFromUrl(value)).toBe(page);
  });
});
