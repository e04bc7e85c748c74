/*
 * The scaffold's build (.config/webpack), extended as create-plugin's "extend configurations" guide says: the plugin
 * ships only what Grafana loads. The scaffold copies every src/**\/*.json; here the JSON copied is plugin.json and
 * the dashboards plugin.json includes (src/dashboards/revisions.json is a test's record, not Grafana's).
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config';
import { copyFilePatterns } from './.config/bundler/copyFiles';
import pluginJson from './src/plugin.json';

const SCAFFOLD_JSON_GLOB = '**/*.json';

const includedDashboards = pluginJson.includes
  .filter((include) => include.type === 'dashboard' && 'path' in include)
  .map((include) => ({ from: String(include.path), to: String(include.path) }));

const shippedFiles = [
  ...copyFilePatterns.filter((pattern) => pattern.from !== SCAFFOLD_JSON_GLOB),
  ...includedDashboards,
];

const config = async (env: Env): Promise<Configuration> => {
  const base = await grafanaConfig(env);
  return {
    ...base,
    plugins: (base.plugins ?? []).map((plugin) =>
      plugin instanceof CopyWebpackPlugin ? new CopyWebpackPlugin({ patterns: shippedFiles }) : plugin
    ),
  };
};

export default config;
