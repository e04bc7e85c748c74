import fc from 'fast-check';
import type { JoinOverride } from '../settings/types';
import type { AppService, MeshService } from './aggregate';
import { joinLayers, type JoinedService } from './join';
import type { Coverage } from './types';

function meshMap(...ids: Array<[string, string]>): Map<string, MeshService> {
  return new Map(
    ids.map(([namespace, workload], i) => [
      `${namespace}/${workload}`,
      { namespace, workload, figures: { rps: i + 1, latency: {}, grpcTrapCodes: [] } },
    ])
  );
}

function appMap(...ids: Array<[string, string]>): Map<string, AppService> {
  return new Map(
    ids.map(([namespace, service], i) => [
      `${namespace}/${service}`,
      { namespace, service, figures: { rps: 100 + i, latency: {}, protocols: ['http'] } },
    ])
  );
}

interface RowShape {
  key: string;
  namespace: string;
  service: string;
  coverage: Coverage;
  mesh?: string;
  app?: string;
}

/** Rows reduced to what the join decides, sorted by key. */
function shape(rows: JoinedService[]): RowShape[] {
  return rows
    .map((r) => ({
      key: r.key,
      namespace: r.namespace,
      service: r.service,
      coverage: r.coverage,
      mesh: r.mesh ? `${r.mesh.namespace}/${r.mesh.workload}` : undefined,
      app: r.app ? `${r.app.namespace}/${r.app.service}` : undefined,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

const both = (namespace: string, service: string, app = `${namespace}/${service}`): RowShape => ({
  key: `${namespace}/${service}`,
  namespace,
  service,
  coverage: 'both',
  mesh: `${namespace}/${service}`,
  app,
});

describe('joinLayers', () => {
  it('joins the same name in the same namespace', () => {
    expect(shape(joinLayers(meshMap(['shop', 'web']), appMap(['shop', 'web']), []))).toEqual([both('shop', 'web')]);
  });

  it('does not join the same name across namespaces', () => {
    const rows = shape(joinLayers(meshMap(['shop', 'web']), appMap(['staging', 'web']), []));
    expect(rows).toEqual([
      { key: 'shop/web', namespace: 'shop', service: 'web', coverage: 'mesh-only', mesh: 'shop/web', app: undefined },
      {
        key: 'staging/web',
        namespace: 'staging',
        service: 'web',
        coverage: 'app-only',
        mesh: undefined,
        app: 'staging/web',
      },
    ]);
  });

  it('keeps mesh-only and app-only services next to joined ones', () => {
    const rows = shape(
      joinLayers(
        meshMap(['shop', 'web'], ['shop', 'recommendations']),
        appMap(['shop', 'web'], ['notify', 'email']),
        []
      )
    );
    expect(rows.map((r) => [r.key, r.coverage])).toEqual([
      ['notify/email', 'app-only'],
      ['shop/recommendations', 'mesh-only'],
      ['shop/web', 'both'],
    ]);
  });

  describe('overrides', () => {
    const override: JoinOverride = { appService: 'currency-api', namespace: 'shop', workload: 'currency' };

    it('joins a renamed app to its workload', () => {
      const rows = shape(joinLayers(meshMap(['shop', 'currency']), appMap(['shop', 'currency-api']), [override]));
      expect(rows).toEqual([both('shop', 'currency', 'shop/currency-api')]);
    });

    it('takes precedence over a same-name match', () => {
      const rows = shape(
        joinLayers(meshMap(['shop', 'currency'], ['shop', 'currency-api']), appMap(['shop', 'currency-api']), [
          override,
        ])
      );
      expect(rows.map((r) => [r.key, r.coverage, r.app])).toEqual([
        ['shop/currency', 'both', 'shop/currency-api'],
        ['shop/currency-api', 'mesh-only', undefined],
      ]);
    });

    it('applies to an app that reports no namespace', () => {
      const rows = shape(joinLayers(meshMap(['shop', 'currency']), appMap(['', 'currency-api']), [override]));
      expect(rows).toEqual([both('shop', 'currency', '/currency-api')]);
    });

    it('names an app-only row after the override target when the workload is not meshed', () => {
      const rows = shape(joinLayers(new Map(), appMap(['shop', 'currency-api']), [override]));
      expect(rows).toEqual([
        {
          key: 'shop/currency',
          namespace: 'shop',
          service: 'currency',
          coverage: 'app-only',
          mesh: undefined,
          app: 'shop/currency-api',
        },
      ]);
    });

    it('leaves other apps alone', () => {
      const rows = shape(joinLayers(meshMap(['shop', 'web']), appMap(['shop', 'web']), [override]));
      expect(rows).toEqual([both('shop', 'web')]);
    });
  });

  describe('apps without a namespace', () => {
    it('join the only workload with that name', () => {
      const rows = shape(joinLayers(meshMap(['shop', 'web'], ['shop', 'cart']), appMap(['', 'web']), []));
      expect(rows.find((r) => r.key === 'shop/web')).toEqual(both('shop', 'web', '/web'));
      expect(rows).toHaveLength(2);
    });

    it('stay app-only when the name is ambiguous', () => {
      const rows = shape(joinLayers(meshMap(['shop', 'web'], ['staging', 'web']), appMap(['', 'web']), []));
      expect(rows.map((r) => [r.key, r.coverage])).toEqual([
        ['/web', 'app-only'],
        ['shop/web', 'mesh-only'],
        ['staging/web', 'mesh-only'],
      ]);
      expect(rows[0]).toMatchObject({ namespace: '', service: 'web', app: '/web' });
    });

    it('stay app-only when no workload has that name', () => {
      const rows = shape(joinLayers(meshMap(['shop', 'web']), appMap(['', 'search']), []));
      expect(rows.map((r) => [r.key, r.coverage])).toEqual([
        ['/search', 'app-only'],
        ['shop/web', 'mesh-only'],
      ]);
    });
  });

  it('keeps every service of both layers on a larger mix', () => {
    const mesh = meshMap(['a', 'one'], ['a', 'two'], ['b', 'two'], ['b', 'three']);
    const app = appMap(['a', 'one'], ['', 'two'], ['', 'three'], ['c', 'four']);
    const rows = shape(joinLayers(mesh, app, []));
    expect(rows.map((r) => [r.key, r.coverage])).toEqual([
      ['/two', 'app-only'],
      ['a/one', 'both'],
      ['a/two', 'mesh-only'],
      ['b/three', 'both'],
      ['b/two', 'mesh-only'],
      ['c/four', 'app-only'],
    ]);
    expect(rows.filter((r) => r.mesh).length).toBe(mesh.size);
    expect(rows.filter((r) => r.app).length).toBe(app.size);
  });

  it('applies an override only in its namespace and keeps the other app of that name', () => {
    const override: JoinOverride = { appService: 'currency-api', namespace: 'shop', workload: 'currency' };
    const rows = shape(
      joinLayers(meshMap(['shop', 'currency']), appMap(['shop', 'currency-api'], ['staging', 'currency-api']), [
        override,
      ])
    );
    expect(rows.map((r) => [r.key, r.coverage, r.app])).toEqual([
      ['shop/currency', 'both', 'shop/currency-api'],
      ['staging/currency-api', 'app-only', 'staging/currency-api'],
    ]);
  });

  it('keeps an app without namespace whose workload row already has its app', () => {
    const rows = shape(joinLayers(meshMap(['shop', 'web']), appMap(['shop', 'web'], ['', 'web']), []));
    expect(rows.map((r) => [r.key, r.coverage, r.app])).toEqual([
      ['/web', 'app-only', '/web'],
      ['shop/web', 'both', 'shop/web'],
    ]);
  });

  it('returns nothing for empty layers', () => {
    expect(joinLayers(new Map(), new Map(), [])).toEqual([]);
  });
});

// ---- properties over generated estates -----------------------------------------------------------------------

/**
 * Small pools, so names collide: the same workload in several namespaces, apps without namespace, an app name with a
 * slash or that looks like a suffixed key. Namespaces are Kubernetes names (no slash); app names are anything.
 */
const NAMESPACES = ['shop', 'pay', 'a', ''];
const NAMES = ['api', 'web', 'b', 'x', 'Api'];
const APP_NAMES = [...NAMES, 'b/api', 'api (app)', 'renamed'];

interface Estate {
  mesh: Array<[string, string]>;
  app: Array<[string, string]>;
  overrides: JoinOverride[];
}

const estate: fc.Arbitrary<Estate> = fc.record({
  mesh: fc.uniqueArray(fc.tuple(fc.constantFrom(...NAMESPACES.filter(Boolean)), fc.constantFrom(...NAMES)), {
    selector: ([n, w]) => `${n}/${w}`,
    maxLength: 10,
  }),
  app: fc.uniqueArray(fc.tuple(fc.constantFrom(...NAMESPACES), fc.constantFrom(...APP_NAMES)), {
    selector: ([n, s]) => `${n}/${s}`,
    maxLength: 10,
  }),
  overrides: fc.uniqueArray(
    fc.record({
      appService: fc.constantFrom(...APP_NAMES),
      namespace: fc.constantFrom(...NAMESPACES.filter(Boolean)),
      workload: fc.constantFrom(...NAMES),
    }),
    { selector: (o) => o.appService, maxLength: 4 }
  ),
});

const run = ({ mesh, app, overrides }: Estate) => joinLayers(meshMap(...mesh), appMap(...app), overrides);
const meshId = (s: MeshService) => `${s.namespace}/${s.workload}`;
const appId = (s: AppService) => `${s.namespace}/${s.service}`;

describe('joinLayers, for any estate', () => {
  it('shows every mesh and every app service exactly once, under unique keys', () => {
    fc.assert(
      fc.property(estate, (e) => {
        const rows = run(e);
        expect(
          rows
            .filter((r) => r.mesh)
            .map((r) => meshId(r.mesh!))
            .sort()
        ).toEqual(e.mesh.map(([n, w]) => `${n}/${w}`).sort());
        expect(
          rows
            .filter((r) => r.app)
            .map((r) => appId(r.app!))
            .sort()
        ).toEqual(e.app.map(([n, s]) => `${n}/${s}`).sort());
        expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
        for (const row of rows) {
          expect(row.coverage).toBe(row.mesh && row.app ? 'both' : row.mesh ? 'mesh-only' : 'app-only');
        }
      }),
      { numRuns: 3000 }
    );
  });

  it('honours an override: its app joins the named workload when it exists and no other override names it', () => {
    fc.assert(
      fc.property(estate, (e) => {
        const rows = run(e);
        const applying = (o: JoinOverride) =>
          e.app.filter(([n, s]) => s === o.appService && (n === '' || n === o.namespace));
        for (const o of e.overrides) {
          const target = `${o.namespace}/${o.workload}`;
          const apps = applying(o);
          const rivals = e.overrides.filter(
            (x) => x !== o && `${x.namespace}/${x.workload}` === target && applying(x).length > 0
          );
          if (apps.length === 1 && rivals.length === 0 && e.mesh.some(([n, w]) => `${n}/${w}` === target)) {
            const row = rows.find((r) => r.mesh && meshId(r.mesh) === target)!;
            expect(row.app && appId(row.app)).toBe(`${apps[0][0]}/${apps[0][1]}`);
          }
        }
      }),
      { numRuns: 3000 }
    );
  });

  it('pairs the same services whatever order the store and the settings list them in', () => {
    const pairs = (rows: JoinedService[]) =>
      rows.map((r) => `${r.mesh ? meshId(r.mesh) : '-'} + ${r.app ? appId(r.app) : '-'}`).sort();
    fc.assert(
      fc.property(
        estate.chain((e) =>
          fc.tuple(
            fc.constant(e),
            fc.record({
              mesh: fc.shuffledSubarray(e.mesh, { minLength: e.mesh.length }),
              app: fc.shuffledSubarray(e.app, { minLength: e.app.length }),
              overrides: fc.shuffledSubarray(e.overrides, { minLength: e.overrides.length }),
            })
          )
        ),
        ([e, shuffled]) => {
          expect(pairs(run(shuffled))).toEqual(pairs(run(e)));
        }
      ),
      { numRuns: 3000 }
    );
  });
});
