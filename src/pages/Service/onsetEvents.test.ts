import type { Flag, RowTimeline } from '../../boundary/types';
import { onsetEvents } from './onsetEvents';

const T0 = Date.UTC(2026, 0, 1, 12);
const MINUTE = 60_000;
const TRAP: Flag = { id: 'grpc-trap', summary: '8.0 % of responses fail behind HTTP 200' };
const SLOW: Flag = { id: 'boundary-latency', summary: '150 ms outside the app' };
const ONE_LAYER: Flag = { id: 'coverage', summary: 'mesh only' };

const timeline = (onsets: RowTimeline['onsets']): RowTimeline => ({
  flag: 'grpc-trap',
  figure: 'grpc-trap-share',
  points: [],
  onsets,
});

describe('onsetEvents: the onsets the drill-down’s charts mark', () => {
  it('marks a flag that began inside the range at its onset, in its badge’s colour, with its numbers', () => {
    const events = onsetEvents(
      [TRAP],
      'both',
      timeline({ 'grpc-trap': { state: 'since', sinceMs: T0 + 35 * MINUTE } })
    );
    expect(events).toEqual([
      expect.objectContaining({
        time: T0 + 35 * MINUTE,
        isRegion: false,
        title: 'gRPC trap since here',
        text: TRAP.summary,
        color: 'red',
        tags: ['grpc-trap'],
      }),
    ]);
  });

  it('shades the stretch of a flag that also ended inside the range, and marks the end of one that held from its start', () => {
    const events = onsetEvents(
      [SLOW, ONE_LAYER],
      'app-only',
      timeline({
        'boundary-latency': { state: 'since', sinceMs: T0 + 10 * MINUTE, untilMs: T0 + 20 * MINUTE },
        coverage: { state: 'all-along', untilMs: T0 + 50 * MINUTE },
      })
    );
    expect(events.map((e) => [e.title, e.time, e.timeEnd, e.isRegion ?? false])).toEqual([
      ['Boundary latency held here', T0 + 10 * MINUTE, T0 + 20 * MINUTE, true],
      ['Not meshed ended here', T0 + 50 * MINUTE, undefined, false],
    ]);
  });

  it('marks nothing for a flag that held all along, one no step shows, or before the timeline has loaded', () => {
    expect(
      onsetEvents(
        [TRAP, SLOW],
        'both',
        timeline({ 'grpc-trap': { state: 'all-along' }, 'boundary-latency': { state: 'no-step' } })
      )
    ).toEqual([]);
    expect(onsetEvents([TRAP], 'both', undefined)).toEqual([]);
  });
});
