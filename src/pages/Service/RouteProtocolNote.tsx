import React from 'react';
import { SceneObjectBase, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { Alert, Text } from '@grafana/ui';
import { httpRoutedGrpc, type HttpRoutedGrpc } from '../../boundary/routeProtocol';
import type { Sample } from '../../query/sample';
import { promDuration } from '../../query/promql';
import { routeProtocolQueries, type RouteProtocolRefId, type ServiceRef } from '../../query/serviceQueries';
import { loadOnTimeRange } from '../../scenes/loadOnTimeRange';
import { metricsApi } from '../../services/metricsApi';
import { getAppSettings } from '../../settings/appSettings';
import { testIds } from '../../testIds';
import type { ServiceHeaderScene } from './ServiceHeaderScene';

export interface RouteProtocolNoteState extends SceneObjectState {
  service: ServiceRef;
  finding?: HttpRoutedGrpc;
}

/** Says when Linkerd's route metrics record this gRPC service's calls as HTTP, and how to fix it. */
export class RouteProtocolNote extends SceneObjectBase<RouteProtocolNoteState> {
  constructor(
    state: { service: ServiceRef },
    private readonly header: ServiceHeaderScene
  ) {
    super(state);
    this.addActivationHandler(this._onActivate.bind(this));
  }

  private _onActivate() {
    const { service } = this.state;
    let results: Record<RouteProtocolRefId, Sample[]> | undefined;
    const update = () => {
      const row = this.header.state.row;
      this.setState({ finding: row && results ? httpRoutedGrpc(row, results) : undefined });
    };
    const subscription = this.header.subscribeToState(update);
    const stop = loadOnTimeRange(
      this,
      async ({ from, to }, signal) => {
        const queries = routeProtocolQueries(getAppSettings(), service, promDuration(to - from));
        // Route families are optional (Linkerd 2.16+/2.20+): a store without them answers nothing, and so does
        // a failed query; the note then stays away rather than guess.
        const answers = await Promise.all(
          queries.map((q) =>
            metricsApi()
              .instant(q.expr, to, { signal })
              .catch((): Sample[] => [])
          )
        );
        return Object.fromEntries(queries.map((q, i) => [q.refId, answers[i]])) as Record<RouteProtocolRefId, Sample[]>;
      },
      ({ value }) => {
        results = value ?? results;
        update();
      }
    );
    return () => {
      subscription.unsubscribe();
      stop();
    };
  }

  static Component = RouteProtocolNoteRenderer;
}

function RouteProtocolNoteRenderer({ model }: SceneComponentProps<RouteProtocolNote>) {
  const { finding, service } = model.useState();
  if (!finding) {
    return null;
  }
  return (
    <div data-testid={testIds.service.routeProtocolNote}>
      <Alert severity="warning" title="Linkerd’s route metrics record this gRPC service as HTTP">
        <Text element="p">
          Linkerd’s newer route metrics read only the HTTP status of a call on an HTTP route, so a failed gRPC call
          counts as HTTP 200 there and <code>linkerd viz stat-outbound</code> shows it as a success. Mesh Lens reads the
          gRPC status from the legacy metrics, so its figures on this page are not affected.
        </Text>
        {finding.outboundServices.length > 0 && (
          <Text element="p">
            Callers record their calls to Service{finding.outboundServices.length > 1 ? 's' : ''}{' '}
            {finding.outboundServices.join(', ')} on an HTTP route. Fix: a GRPCRoute (gateway.networking.k8s.io) whose
            parentRef is that Service in {service.namespace}.
          </Text>
        )}
        {finding.inbound && (
          <Text element="p">
            This workload’s own proxy records its requests on an HTTP route. Fix: a Server (policy.linkerd.io) selecting
            its pods and port with <code>proxyProtocol: gRPC</code>.
          </Text>
        )}
      </Alert>
    </div>
  );
}
