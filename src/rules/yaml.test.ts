/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
// The `yaml` package's browser build is an ES module, which jest does not load: resolve its Node build instead.
import { parse } from 'yaml';
import { DEFAULT_SETTINGS } from '../settings/types';
import type { RuleGroup } from './types';
import { serializeRuleFile } from './yaml';
import { buildRuleGroups } from '.';

/** The groups as a rule file holds them: without our `comment` fields. */
function withoutComments(groups: RuleGroup[]): unknown {
  return {
    groups: groups.map(({ comment: _c, rules, ...group }) => ({
      ...group,
      rules: rules.map(({ comment: _rc, ...rule }) => rule),
    })),
  };
}

describe('serializeRuleFile', () => {
  it('writes a file that reads back as the same groups', () => {
    const groups = buildRuleGroups({
      ...DEFAULT_SETTINGS,
      joinOverrides: [{ appService: 'cur"rency\\api', namespace: 'shop', workload: 'currency' }],
    });
    const text = serializeRuleFile(groups, 'header line');
    expect(text.startsWith('# header line\ngroups:\n')).toBe(true);
    expect(parse(text)).toEqual(withoutComments(groups));
  });

  it.each([
    ['a plain name', 'MeshLensGrpcTrap', 'alert: MeshLensGrpcTrap'],
    ['a duration', '30s', 'for: 30s'],
    ['a number-like label value', '99.9', 'slo: "99.9"'],
    ['a YAML word', 'on', 'view: "on"'],
    ['a value with a colon and space', 'a: b', 'view: "a: b"'],
    ['an empty value', '', 'view: ""'],
  ])('quotes only what YAML would misread: %s', (_what, value, line) => {
    const groups: RuleGroup[] = [
      {
        name: 'g',
        interval: '30s',
        rules: [
          {
            alert: 'MeshLensGrpcTrap',
            expr: 'up',
            for: value === '30s' ? value : '1m',
            labels: { slo: value === '99.9' ? value : 'x', view: value },
            annotations: { summary: 's' },
          },
        ],
      },
    ];
    const text = serializeRuleFile(groups);
    expect(text).toContain(line);
    expect(parse(text)).toEqual(withoutComments(groups));
  });

  it.each([
    ['PromQL with quotes and newlines', 'a{x="y\\"z"}\nor\nb', '|-'],
    ['a Go template', '{{ $value | humanizePercentage }} of {{ $labels.workload }}', '|-'],
    ['a control character', 'a\u0001b', '"a\\u0001b"'],
    ['a leading space', ' up', '" up"'],
    ['a trailing space on a line', 'up \nor down', '"up \\nor down"'],
  ])('writes %s as a block when it can and quoted when it cannot', (_what, expr, form) => {
    const groups: RuleGroup[] = [{ name: 'g', interval: '1m', rules: [{ record: 'a:b:c', expr }] }];
    const text = serializeRuleFile(groups);
    expect(text).toContain(`expr: ${form}`);
    expect(parse(text)).toEqual(withoutComments(groups));
  });

  it('wraps comments and keeps them out of the data', () => {
    const groups: RuleGroup[] = [
      {
        name: 'g',
        interval: '1m',
        comment: 'word '.repeat(60).trim(),
        rules: [{ record: 'a:b:c', expr: 'up', comment: 'why' }],
      },
    ];
    const text = serializeRuleFile(groups);
    const comments = text.split('\n').filter((l) => l.trim().startsWith('#'));
    expect(comments.length).toBeGreaterThan(2);
    expect(Math.max(...comments.map((l) => l.length))).toBeLessThanOrEqual(116);
    expect(parse(text)).toEqual(withoutComments(groups));
  });
});
