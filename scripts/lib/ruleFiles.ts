/**
 * The rule files the project ships (provisioning/rules/), generated from src/rules with the default settings of
 * each label schema. `npm run rules` writes them; ruleFiles.test.ts fails when they are out of date.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRuleFile } from '../../src/rules';
import { DEFAULT_MESH_SELECTORS, DEFAULT_SETTINGS, type AppSettings, type LabelSchema } from '../../src/settings/types';

export const RULES_DIR = join(__dirname, '../../provisioning/rules');

export interface ShippedRuleFile {
  path: string;
  schema: LabelSchema;
  settings: AppSettings;
}

export function defaultSettingsFor(schema: LabelSchema): AppSettings {
  return { ...DEFAULT_SETTINGS, labelSchema: schema, meshSelector: DEFAULT_MESH_SELECTORS[schema] };
}

export const SHIPPED_RULE_FILES: ShippedRuleFile[] = [
  { path: join(RULES_DIR, 'meshlens-rules.yaml'), schema: 'otel', settings: defaultSettingsFor('otel') },
  { path: join(RULES_DIR, 'linkerd/meshlens-rules.yaml'), schema: 'linkerd', settings: defaultSettingsFor('linkerd') },
];

/** Each shipped file with what it should hold and what it holds. */
export function readShippedRuleFiles(): Array<ShippedRuleFile & { expected: string; actual: string | undefined }> {
  return SHIPPED_RULE_FILES.map((file) => {
    let actual: string | undefined;
    try {
      actual = readFileSync(file.path, 'utf8');
    } catch {
      actual = undefined;
    }
    return { ...file, expected: renderRuleFile(file.settings), actual };
  });
}
