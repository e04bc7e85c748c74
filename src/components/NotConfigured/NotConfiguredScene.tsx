import React from 'react';
import { SceneObjectBase, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { Alert, LinkButton } from '@grafana/ui';
import { CONFIG_PAGE_URL } from '../../constants';
import { testIds } from '../../testIds';

export interface NotConfiguredSceneState extends SceneObjectState {
  /** What the page would show once configured. */
  purpose: string;
}

/** Shown instead of a page's content until a metrics datasource is chosen. */
export class NotConfiguredScene extends SceneObjectBase<NotConfiguredSceneState> {
  static Component = NotConfiguredRenderer;
}

function NotConfiguredRenderer({ model }: SceneComponentProps<NotConfiguredScene>) {
  const { purpose } = model.useState();
  return (
    <div data-testid={testIds.notConfigured}>
      <Alert severity="info" title="Mesh Lens is not configured yet">
        <p>
          Choose the Prometheus-compatible datasource that holds your Linkerd proxy metrics and OpenTelemetry app
          metrics. {purpose}
        </p>
        <LinkButton href={CONFIG_PAGE_URL} icon="cog" variant="primary">
          Open the configuration
        </LinkButton>
      </Alert>
    </div>
  );
}
