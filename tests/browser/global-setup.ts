import { startPreview, type RunningPreview } from '../../scripts/preview';
import { HELD_BACK_DATASOURCE, HELD_BACK_SCENARIO, PREVIEW_ENV } from './previews';

/**
 * Starts a preview on a held-back scenario, then one on the demo that also offers the held-back store as a second
 * datasource (so a test can switch datasources on the configuration page), each with its own VictoriaMetrics.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const log = () => undefined;
  const previews: RunningPreview[] = [];
  const heldBack = await startPreview({ port: 0, scenario: HELD_BACK_SCENARIO, live: true, log });
  previews.push(heldBack);
  const demo = await startPreview({
    port: 0,
    scenario: 'demo',
    live: true,
    log,
    extraDatasources: [{ ...HELD_BACK_DATASOURCE, url: heldBack.storeUrl }],
  });
  previews.push(demo);
  process.env[PREVIEW_ENV.demo] = demo.url;
  process.env[PREVIEW_ENV.heldBack] = heldBack.url;
  return async () => {
    await Promise.all(previews.map((p) => p.stop()));
  };
}
