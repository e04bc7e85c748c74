import { resolveRuleOptions, ruleOptionsForGrafana } from './options';

describe('ruleOptionsForGrafana', () => {
  test.each([
    ['http://localhost:3000/', 'http://localhost:3000'],
    ['https://grafana.example.com/sub/path/', 'https://grafana.example.com/sub/path'],
    ['', 'http://localhost:3000'],
    [undefined, 'http://localhost:3000'],
    ['/grafana/', 'http://localhost:3000'],
    ['https://grafana.example.com/{{ $labels.x }}', 'http://localhost:3000'],
  ])('appUrl %j → links to %s', (appUrl, expected) => {
    expect(resolveRuleOptions(ruleOptionsForGrafana(appUrl)).grafanaUrl).toBe(expected);
  });
});
