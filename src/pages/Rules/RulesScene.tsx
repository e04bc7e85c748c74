import React from 'react';
import { SceneObjectBase, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { config } from '@grafana/runtime';
import { LoadingPlaceholder, Stack } from '@grafana/ui';
import type { RuleCosts, RuleGroup } from '../../rules';
import { testIds } from '../../testIds';
import { errorMessage, metricsApi } from '../../services/metricsApi';
import { getAppSettings } from '../../settings/appSettings';
import { LoadError } from '../../components/LoadError';
import { RuleCostTable } from './RuleCostTable';
import { RuleFilePanel } from './RuleFilePanel';

export interface RulesSceneState extends SceneObjectState {
  /** The rule file for the current settings. */
  file?: string;
  fileError?: string;
  costs?: RuleCosts;
  costsError?: string;
  measuring: boolean;
}

/** The rule file for the app's settings, and what each of its recording rules costs in series on the store. */
export class RulesScene extends SceneObjectBase<RulesSceneState> {
  private controller?: AbortController;

  constructor(state: Partial<RulesSceneState> = {}) {
    super({ measuring: true, ...state });
    this.addActivationHandler(this._onActivate.bind(this));
  }

  private _onActivate() {
    void this.load();
    return () => this.controller?.abort();
  }

  async load() {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.setState({ measuring: true, costsError: undefined });
    // The generator is only needed here: it loads with the page, not with the app.
    const { buildRuleGroups, measureRuleCosts, renderRuleFile, ruleOptionsForGrafana } = await import('../../rules');
    const settings = getAppSettings();
    const options = ruleOptionsForGrafana(config.appUrl);
    let groups: RuleGroup[];
    try {
      groups = buildRuleGroups(settings, options);
      this.setState({ file: renderRuleFile(settings, options, 'Mesh Lens’ Rules page'), fileError: undefined });
    } catch (error) {
      this.setState({ fileError: errorMessage(error), measuring: false });
      return;
    }
    try {
      const costs = await measureRuleCosts(metricsApi(), groups, Math.floor(Date.now() / 1000), {
        signal: controller.signal,
      });
      if (!controller.signal.aborted) {
        this.setState({ costs, measuring: false });
      }
    } catch (error) {
      if (!controller.signal.aborted) {
        this.setState({ costsError: errorMessage(error), measuring: false });
      }
    }
  }

  static Component = RulesRenderer;
}

function RulesRenderer({ model }: SceneComponentProps<RulesScene>) {
  const { file, fileError, costs, costsError, measuring } = model.useState();
  if (fileError) {
    return (
      <LoadError
        title="The rule file could not be generated"
        error={fileError}
        hint="Check the settings on the configuration page."
        testId={testIds.rules.error}
      />
    );
  }
  if (!file) {
    return <LoadingPlaceholder text="Generating the rule file…" />;
  }
  return (
    <Stack direction="column" gap={3}>
      <RuleFilePanel file={file} settings={getAppSettings()} />
      {costsError && (
        <LoadError
          title="What the rules cost could not be measured"
          error={costsError}
          hint="The rule file above does not depend on it."
          testId={testIds.rules.error}
        />
      )}
      {measuring && !costs && <LoadingPlaceholder text="Counting the series each recording rule writes…" />}
      {costs && <RuleCostTable costs={costs} measuring={measuring} onMeasure={() => model.load()} />}
    </Stack>
  );
}
