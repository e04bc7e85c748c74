// setPluginPage is internal to @grafana/runtime (Grafana calls it at start); the preview reaches its module directly.
declare module '@grafana/runtime/dist/esm/components/PluginPage.mjs' {
  import type { PluginPageType } from '@grafana/runtime';
  export function setPluginPage(component: PluginPageType): void;
}
