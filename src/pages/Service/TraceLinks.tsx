import React from 'react';
import type { GrafanaTheme2, TimeRange } from '@grafana/data';
import { config } from '@grafana/runtime';
import { css } from '@emotion/css';
import { Alert, Icon, LinkButton, Stack, useStyles2 } from '@grafana/ui';
import type { ServiceRow } from '../../boundary/types';
import { CONFIG_PAGE_URL } from '../../constants';
import { buildExploreUrl, buildTraceQuery, focusForFlag } from '../../query/traceLinks';
import { getAppSettings } from '../../settings/appSettings';
import { testIds } from '../../components/testIds';

/** One "Traces" link per flag: the traces of this service, window and failure kind, opened in Explore. */
export function FlagTraceLinks({ row, range }: { row: ServiceRow; range: TimeRange }) {
  const styles = useStyles2(getStyles);
  const settings = getAppSettings();
  const { tracesDatasourceUid: uid, tracesDatasourceType: type } = settings;
  const service = row.appService ?? row.service;
  if (!uid || !type) {
    return (
      <LinkButton href={CONFIG_PAGE_URL} variant="secondary" size="sm" icon="cog" fill="text">
        Configure a traces datasource to open the matching traces
      </LinkButton>
    );
  }
  const window = { from: String(range.from.valueOf()), to: String(range.to.valueOf()) };
  const flags = row.flags.length > 0 ? row.flags.map((f) => f.id) : (['coverage'] as const);
  return (
    <Stack direction="row" gap={1} wrap="wrap">
      {flags.map((flag) => {
        const query = buildTraceQuery(type, uid, service, focusForFlag(flag, row.app?.latency.p95));
        // A plain anchor: LinkButton sanitises its href by decoding it, which breaks the `&&` of TraceQL in `panes`.
        return (
          <a
            key={flag}
            className={styles.link}
            href={buildExploreUrl(config.appSubUrl, query, window, config.bootData.user.orgId)}
            data-testid={testIds.service.traceLink}
            data-flag={flag}
          >
            <Icon name="compass" /> {row.flags.length > 0 ? `Traces behind “${flag}”` : 'Traces of this service'}
          </a>
        );
      })}
    </Stack>
  );
}

export function NoTracesDatasource() {
  return (
    <Alert severity="info" title="No traces datasource configured">
      Choose a Tempo or Jaeger datasource on the configuration page to see the traces behind each anomaly here.{' '}
      <a href={CONFIG_PAGE_URL}>Open the configuration</a>
    </Alert>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  link: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    padding: theme.spacing(0.5, 1),
    borderRadius: theme.shape.radius.default,
    border: `1px solid ${theme.colors.border.medium}`,
    background: theme.colors.secondary.main,
    color: theme.colors.text.primary,
    fontSize: theme.typography.bodySmall.fontSize,
    '&:hover': { background: theme.colors.secondary.shade },
  }),
});
