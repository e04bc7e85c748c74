import { relative } from 'node:path';
import { readShippedRuleFiles, RULES_DIR } from './ruleFiles';

describe('the shipped rule files', () => {
  it.each(readShippedRuleFiles().map((f) => [relative(RULES_DIR, f.path), f]))(
    '%s is what `npm run rules` writes',
    (_name, file) => {
      expect(file.actual).toBeDefined();
      expect(file.actual === file.expected).toBe(true);
    }
  );

  it('one per label schema, selecting the mesh as that schema does', () => {
    const files = readShippedRuleFiles();
    expect(files.map((f) => f.schema)).toEqual(['otel', 'linkerd']);
    expect(files[0].expected).toContain('response_total{layer="mesh",direction="inbound",target_port!="4191"}');
    expect(files[1].expected).toContain('response_total{job="linkerd-proxy",direction="inbound",target_port!="4191"}');
  });
});
