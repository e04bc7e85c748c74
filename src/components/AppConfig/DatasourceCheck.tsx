import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Icon, Stack, Text, useStyles2 } from '@grafana/ui';
import { buildConnectionChecks, interpretConnectionChecks, type CheckLine } from '../../query/connectionCheck';
import type { AppSettings } from '../../settings/types';
import { createGrafanaPromApi } from '../../services/grafanaPromApi';
import { testIds } from '../../testIds';

type TestState =
  { kind: 'idle' } | { kind: 'running' } | { kind: 'done'; lines: CheckLine[] } | { kind: 'failed'; message: string };

const ICONS = {
  ok: 'check-circle',
  info: 'info-circle',
  warning: 'exclamation-triangle',
  error: 'times-circle',
} as const;

/**
 * The Test button: checks the chosen datasource for each family the app reads and says which world and proxy
 * generation it found, with the settings as they are in the form, through the datasource as Grafana runs it.
 */
export function DatasourceCheck({ settings }: { settings: AppSettings }) {
  const styles = useStyles2(getStyles);
  const [state, setState] = useState<TestState>({ kind: 'idle' });
  const uid = settings.metricsDatasourceUid;

  const run = async () => {
    if (!uid) {
      return;
    }
    setState({ kind: 'running' });
    const api = createGrafanaPromApi(uid, 15_000);
    const checks = buildConnectionChecks(settings);
    const now = Math.floor(Date.now() / 1000);
    const answers = await Promise.allSettled(checks.map((c) => api.instant(c.expr, now)));
    const failures = answers.flatMap((a, i) => (a.status === 'rejected' ? [[checks[i].refId, a.reason] as const] : []));
    if (failures.length === checks.length) {
      const [, reason] = failures[0];
      setState({ kind: 'failed', message: reason instanceof Error ? reason.message : String(reason) });
      return;
    }
    const results = Object.fromEntries(
      answers.flatMap((a, i) => (a.status === 'fulfilled' ? [[checks[i].refId, a.value]] : []))
    );
    const failedLines: CheckLine[] = failures.map(([refId, reason]) => ({
      status: 'error',
      title: `One check could not run (${refId})`,
      detail: reason instanceof Error ? reason.message : String(reason),
    }));
    setState({ kind: 'done', lines: [...failedLines, ...interpretConnectionChecks(results, settings)] });
  };

  return (
    <Stack direction="column" gap={1}>
      <div>
        <Button
          variant="secondary"
          icon={state.kind === 'running' ? 'spinner' : 'heart-rate'}
          disabled={!uid || state.kind === 'running'}
          tooltip={uid ? undefined : 'Choose a metrics datasource first'}
          onClick={run}
          data-testid={testIds.appConfig.test}
        >
          Test
        </Button>
      </div>
      <div data-testid={testIds.appConfig.testResult} aria-live="polite">
        {state.kind === 'failed' && (
          <Alert severity="error" title="The test could not query the datasource">
            {state.message}
          </Alert>
        )}
        {state.kind === 'done' &&
          state.lines.map((line) => (
            <div key={line.title} className={styles.line} data-status={line.status}>
              <Icon name={ICONS[line.status]} className={styles[line.status]} />
              <div>
                <Text weight="medium">{line.title}</Text>
                <br />
                <Text color="secondary">{line.detail}</Text>
              </div>
            </div>
          ))}
      </div>
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  line: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'flex-start', marginBottom: theme.spacing(1) }),
  ok: css({ color: theme.colors.success.text, marginTop: 2 }),
  info: css({ color: theme.colors.info.text, marginTop: 2 }),
  warning: css({ color: theme.colors.warning.text, marginTop: 2 }),
  error: css({ color: theme.colors.error.text, marginTop: 2 }),
});
