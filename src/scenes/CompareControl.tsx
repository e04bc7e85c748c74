import React from 'react';
import {
  SceneAppPage,
  SceneObjectBase,
  SceneObjectUrlSyncConfig,
  type SceneComponentProps,
  type SceneObject,
  type SceneObjectState,
  type SceneObjectUrlValues,
} from '@grafana/scenes';
import { InlineField, RadioButtonGroup } from '@grafana/ui';
import { COMPARE_OFFSETS, type CompareOffset } from '../constants';
import { testIds } from '../testIds';

export interface CompareControlState extends SceneObjectState {
  /** The earlier window the figures are compared with; none while comparing is off. */
  compare?: CompareOffset;
}

const OPTIONS: Array<{ label: string; value: CompareOffset | 'off'; description: string }> = [
  { label: 'Off', value: 'off', description: 'No comparison' },
  { label: '1 h', value: '1h', description: 'The same range one hour earlier' },
  { label: '1 d', value: '1d', description: 'The same range one day earlier' },
  { label: '7 d', value: '7d', description: 'The same range seven days earlier' },
];

function isCompareOffset(value: unknown): value is CompareOffset {
  return typeof value === 'string' && value in COMPARE_OFFSETS;
}

/** The page control "Compare with … earlier", kept in the URL as `compare=1h|1d|7d`. */
export class CompareControl extends SceneObjectBase<CompareControlState> {
  protected _urlSync = new SceneObjectUrlSyncConfig(this, { keys: ['compare'] });

  getUrlState(): SceneObjectUrlValues {
    return { compare: this.state.compare ?? null };
  }

  updateFromUrl(values: SceneObjectUrlValues): void {
    const compare = isCompareOffset(values.compare) ? values.compare : undefined;
    if (compare !== this.state.compare) {
      this.setState({ compare });
    }
  }

  setCompare = (value: CompareOffset | 'off') => this.setState({ compare: value === 'off' ? undefined : value });

  /** The offset in seconds, or none. */
  seconds(): number | undefined {
    return this.state.compare ? COMPARE_OFFSETS[this.state.compare] : undefined;
  }

  static Component = CompareControlRenderer;
}

function CompareControlRenderer({ model }: SceneComponentProps<CompareControl>) {
  const { compare } = model.useState();
  return (
    <div data-testid={testIds.compare.control}>
      <InlineField label="Compare with" tooltip="Each figure's change against the same range this much earlier">
        <RadioButtonGroup size="sm" options={OPTIONS} value={compare ?? 'off'} onChange={model.setCompare} />
      </InlineField>
    </div>
  );
}

/** The comparison control of the page a scene object is on (a drill-down tab's page included), if it has one. */
export function compareControlOf(scene: SceneObject): CompareControl | undefined {
  for (let node: SceneObject | undefined = scene; node; node = node.parent) {
    if (node instanceof SceneAppPage) {
      const control = node.state.controls?.find((c): c is CompareControl => c instanceof CompareControl);
      if (control) {
        return control;
      }
    }
  }
  return undefined;
}
