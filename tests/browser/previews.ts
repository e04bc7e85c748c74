/** The previews global-setup starts, shared with the specs through the environment. */
export const PREVIEW_ENV = {
  demo: 'MESHLENS_PREVIEW_DEMO',
  heldBack: 'MESHLENS_PREVIEW_HELD_BACK',
} as const;

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
