/**
 * The shipped rule files with promtool (Debian's prometheus package): both pass `promtool check rules`, and the
 * unit tests in provisioning/rules/tests/ (every alert firing and not firing, the gRPC trap at HTTP 200 among
 * them) pass `promtool test rules`. The same tests fail against rules generated with another threshold, so they
 * do notice an alert that stops firing.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readShippedRuleFiles, RULES_DIR, SHIPPED_RULE_FILES } from '../../scripts/lib/ruleFiles';
import { buildRuleGroups, recordedNames, renderRuleFile } from '../../src/rules';
import { promtool } from '../../scripts/lib/ruleTools';

const TESTS_DIR = join(RULES_DIR, 'tests');
const UNIT_TESTS = ['meshlens-rules.test.yaml', 'linkerd-meshlens-rules.test.yaml'];

describe('the shipped rule files, checked and unit-tested by promtool', () => {
  it('are what npm run rules writes', () => {
    for (const file of readShippedRuleFiles()) {
      expect([file.path, file.actual === file.expected]).toEqual([file.path, true]);
    }
  });

  it.each(SHIPPED_RULE_FILES.map((f) => [f.schema, f]))('promtool check rules: the %s file', async (_s, file) => {
    const result = await promtool('check', [file.path], undefined, 'none');
    const rules = buildRuleGroups(file.settings).reduce((n, g) => n + g.rules.length, 0);
    expect(result.stderr).toBe('');
    expect([result.code, result.stdout]).toEqual([0, expect.stringContaining(`SUCCESS: ${rules} rules found`)]);
    // 38 rules, the mesh bucket rule as three parts over disjoint le sets.
    expect(rules).toBe(40);
  });

  it.each(SHIPPED_RULE_FILES.map((f) => [f.schema, f]))(
    'promtool check rules with its lint: the %s file, the split mesh bucket rule its only finding, not fatal',
    async (_s, file) => {
      const result = await promtool('check', [file.path]);
      const bucket = recordedNames(file.settings, 60).meshLatencyBucket;
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('lint error 1 duplicate rule(s) found.');
      expect(result.stderr).toContain(`Metric: ${bucket}\n`);
    }
  );

  it.each(UNIT_TESTS)('promtool test rules %s', async (file) => {
    const result = await promtool('test', [file], TESTS_DIR);
    expect([result.code, `${result.stdout}${result.stderr}`]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  it('the unit tests notice an alert that no longer fires (a 10 % trap threshold leaves payments’ 8 % alone)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshlens-promtool-'));
    try {
      const otel = SHIPPED_RULE_FILES[0];
      const settings = { ...otel.settings, thresholds: { ...otel.settings.thresholds, grpcTrapPercent: 10 } };
      writeFileSync(join(dir, 'meshlens-rules.yaml'), renderRuleFile(settings));
      const testFile = join(dir, 'tests', UNIT_TESTS[0]);
      mkdirSync(join(dir, 'tests'));
      copyFileSync(join(TESTS_DIR, UNIT_TESTS[0]), testFile);
      expect(readFileSync(testFile, 'utf8')).toContain('- ../meshlens-rules.yaml');
      const result = await promtool('test', [UNIT_TESTS[0]], join(dir, 'tests'));
      const output = `${result.stdout}${result.stderr}`;
      expect(result.code).toBe(1);
      // Only the trap's expectations fail: payments (8 %) and shipping (5 %) are no longer flagged.
      expect(output).toMatch(/alertname: MeshLensGrpcTrap, time: 20m, \n\s+exp:\[[\s\S]*payments[\s\S]*\n\s+got:\[\]/);
      expect(output).not.toMatch(/alertname: MeshLens(?!GrpcTrap)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
