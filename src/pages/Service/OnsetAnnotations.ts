import { arrayToDataFrame, DataTopic, LoadingState, type PanelData } from '@grafana/data';
import { SceneDataLayerBase, sceneGraph, type SceneDataLayerProviderState } from '@grafana/scenes';
import type { Unsubscribable } from 'rxjs';
import { onsetEvents } from './onsetEvents';
import type { ServiceHeaderScene } from './ServiceHeaderScene';

interface OnsetAnnotationsState extends SceneDataLayerProviderState {
  header: ServiceHeaderScene;
}

/**
 * Each flag's onset as an annotation on every chart of the tab (and the stretch it held, where it ended within the
 * range): what the service's header found, in the annotation frames Grafana's time series panel draws
 * (`DataTopic.Annotations`, as scenes' own annotation layers publish them).
 */
export class OnsetAnnotationsLayer extends SceneDataLayerBase<OnsetAnnotationsState> {
  private headerSub?: Unsubscribable;

  constructor(state: Pick<OnsetAnnotationsState, 'header'>) {
    super({ name: 'Flag onsets', ...state });
  }

  onEnable(): void {
    this.headerSub = this.state.header.subscribeToState((next, previous) => {
      if (next.row !== previous.row) {
        this.runLayer();
      }
    });
  }

  onDisable(): void {
    this.headerSub?.unsubscribe();
  }

  protected runLayer(): void {
    const { row } = this.state.header.state;
    const events = row ? onsetEvents(row.flags, row.coverage, row.timeline) : [];
    const frame = arrayToDataFrame(events);
    frame.meta = { dataTopic: DataTopic.Annotations };
    const data: PanelData = {
      state: LoadingState.Done,
      series: [frame],
      timeRange: sceneGraph.getTimeRange(this).state.value,
    };
    this.publishResults(data);
  }
}
