import { startPreview, type RunningPreview } from '../../scripts/preview';
import { startFaultStore } from '../shared/faultStore';
import {
  FAULT_CONTROL_ENV,
  FAULTS_STORE_TIMEOUT_MS,
  HELD_BACK_DATASOURCE,
  HELD_BACK_SCENARIO,
  INCIDENT_END_ENV,
  PREVIEW_ENV,
} from './previews';

/**
 * Starts a preview on a held-back scenario, then one on the demo that also offers the held-back store as a second
 * datasource (so a test can switch datasources on the configuration page), each with its own VictoriaMetrics, and
 * one on the hostile scenario, one on the demo with an incident (demo-incident), and one whose store is a fault store
 * in front of the demo's (tests/shared/faultStore.ts).
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
  const hostile = await startPreview({ port: 0, scenario: 'hostile', live: true, log });
  previews.push(hostile);
  // Live, so the page's range ending a few minutes after the scenario's still has data; the last phase holds.
  const incident = await startPreview({ port: 0, scenario: 'demo-incident', live: true, log });
  previews.push(incident);
  const faultStore = await startFaultStore(demo.storeUrl);
  const faults = await startPreview({
    port: 0,
    scenario: 'demo',
    prometheus: faultStore.url,
    storeTimeoutMs: FAULTS_STORE_TIMEOUT_MS,
    live: false,
    log,
  });
  previews.push(faults);
  process.env[PREVIEW_ENV.demo] = demo.url;
  process.env[PREVIEW_ENV.demoStore] = demo.storeUrl;
  process.env[PREVIEW_ENV.heldBack] = heldBack.url;
  process.env[PREVIEW_ENV.faults] = faults.url;
  process.env[PREVIEW_ENV.hostile] = hostile.url;
  process.env[PREVIEW_ENV.incident] = incident.url;
  process.env[INCIDENT_END_ENV] = String(incident.scenarioEndMs);
  process.env[FAULT_CONTROL_ENV] = faultStore.controlUrl;
  return async () => {
    await Promise.all(previews.map((p) => p.stop()));
    await faultStore.close();
  };
}
