import { startPreview, type RunningPreview } from '../../scripts/preview';
import { HELD_BACK_SCENARIO, PREVIEW_ENV } from './previews';

/** Starts a preview on the demo scenario and one on a held-back scenario, each with its own VictoriaMetrics. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const log = () => undefined;
  const previews: RunningPreview[] = [];
  const demo = await startPreview({ port: 0, scenario: 'demo', live: true, log });
  previews.push(demo);
  const heldBack = await startPreview({ port: 0, scenario: HELD_BACK_SCENARIO, live: true, log });
  previews.push(heldBack);
  process.env[PREVIEW_ENV.demo] = demo.url;
  process.env[PREVIEW_ENV.heldBack] = heldBack.url;
  return async () => {
    await Promise.all(previews.map((p) => p.stop()));
  };
}
