import { sceneGraph, SceneFlexItem, VizPanel, type SceneFlexLayout } from '@grafana/scenes';
import { setAppSettings } from '../../../settings/appSettings';
import { DEFAULT_SETTINGS } from '../../../settings/types';
import { BoundaryBreakdownScene } from '../BoundaryBreakdownScene';
import { RouteProtocolNote } from '../RouteProtocolNote';
import { ServiceHeaderScene } from '../ServiceHeaderScene';
import { boundaryTab, statusTab, tcpTab } from './chartTabs';

const PAYMENTS = { namespace: 'shop', workload: 'payments' };

/** What the tab shows from top to bottom: the header, the notes, then each row's chart titles. */
function outline(tab: SceneFlexLayout): string[] {
  return tab.state.children.map((child) => {
    const body = (child as SceneFlexItem).state.body;
    if (!body) {
      return 'nothing';
    }
    if (body instanceof ServiceHeaderScene) {
      return `header ${body.state.namespace}/${body.state.service}`;
    }
    if (body instanceof BoundaryBreakdownScene) {
      return 'boundary breakdown';
    }
    if (body instanceof RouteProtocolNote) {
      return 'route protocol note';
    }
    return sceneGraph
      .findDescendents(body, VizPanel)
      .map((panel) => panel.state.title)
      .join(' | ');
  });
}

describe('drill-down chart tabs', () => {
  beforeEach(() => setAppSettings({ ...DEFAULT_SETTINGS, metricsDatasourceUid: 'vm-prod' }));
  afterEach(() => setAppSettings(DEFAULT_SETTINGS));

  it('Boundary: the header, the breakdown of the header’s figures, then latency, success and rate', () => {
    expect(outline(boundaryTab(PAYMENTS))).toEqual([
      'header shop/payments',
      'boundary breakdown',
      'Latency: mesh p50/p95/p99 and app p95',
      'Success rate: mesh vs app | Requests per second',
    ]);
  });

  it('Status codes: the header, the route protocol note, the trap, then responses by gRPC and by HTTP status', () => {
    expect(outline(statusTab(PAYMENTS))).toEqual([
      'header shop/payments',
      'route protocol note',
      'The gRPC trap: failures behind HTTP 200',
      'Responses by gRPC status | Responses by HTTP status',
    ]);
  });

  it('TCP: the header and the connection charts in one row', () => {
    expect(outline(tcpTab(PAYMENTS))).toEqual([
      'header shop/payments',
      'Open connections | Bytes | Connections closed with an error',
    ]);
  });

  it('says why the gRPC chart is empty for a service that answered HTTP only', () => {
    const grpc = sceneGraph
      .findDescendents(statusTab(PAYMENTS), VizPanel)
      .find((panel) => panel.state.title === 'Responses by gRPC status');
    expect(grpc?.state.fieldConfig.defaults.noValue).toBe(
      'No gRPC responses in this time range: the service answered HTTP only'
    );
  });
});
