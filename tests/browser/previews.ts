/** The previews global-setup starts, shared with the specs through the environment. */
export const PREVIEW_ENV = {
  demo: 'MESHLENS_PREVIEW_DEMO',
  heldBack: 'MESHLENS_PREVIEW_HELD_BACK',
  /** The hostile scenario (generator/scenarios/hostile.json). */
  hostile: 'MESHLENS_PREVIEW_HOSTILE',
  /** A preview whose store is the fault store in front of the demo's VictoriaMetrics. */
  faults: 'MESHLENS_PREVIEW_FAULTS',
  /** The demo preview's VictoriaMetrics, for specs that check a page's figures against the store itself. */
  demoStore: 'MESHLENS_PREVIEW_DEMO_STORE',
  /** The demo with an incident in the last half hour of its range (generator/scenarios/demo-incident.json). */
  incident: 'MESHLENS_PREVIEW_INCIDENT',
} as const;

/** Unix ms at which the incident preview's scenario ends: its changes are placed back from it. */
export const INCIDENT_END_ENV = 'MESHLENS_PREVIEW_INCIDENT_END';

export function incidentEndMs(): number {
  const value = Number(process.env[INCIDENT_END_ENV]);
  if (!value) {
    throw new Error(`${INCIDENT_END_ENV} is not set: run the browser tests through tests/browser/playwright.config.ts`);
  }
  return value;
}

/** The fault store's control URL (tests/shared/faultStore.ts), for the specs to set the fault a page meets. */
export const FAULT_CONTROL_ENV = 'MESHLENS_FAULT_CONTROL';

/** How long the faults preview waits for its store before a query fails: a stalled store costs seconds, not 60. */
export const FAULTS_STORE_TIMEOUT_MS = 2000;

export function faultControlUrl(): string {
  const url = process.env[FAULT_CONTROL_ENV];
  if (!url) {
    throw new Error(
      `${FAULT_CONTROL_ENV} is not set: run the browser tests through tests/browser/playwright.config.ts`
    );
  }
  return url;
}

/** A scenario no test was tuned to: its seed and size are fixed here only so failures can be replayed. */
export const HELD_BACK_SCENARIO = 'random:31337:40';

/** The held-back store, offered by the demo preview as a second datasource. */
export const HELD_BACK_DATASOURCE = { uid: 'held-back-metrics', name: 'Held-back store' };

export function previewUrl(which: keyof typeof PREVIEW_ENV): string {
  const url = process.env[PREVIEW_ENV[which]];
  if (!url) {
    throw new Error(
      `${PREVIEW_ENV[which]} is not set: run the browser tests through tests/browser/playwright.config.ts`
    );
  }
  return url;
}
