import React from 'react';
import type { GrafanaTheme2, TimeRange } from '@grafana/data';
import { config } from '@grafana/runtime';
import { css } from '@emotion/css';
import { Alert, Icon, LinkButton, Text, useStyles2 } from '@grafana/ui';
import { flagStretchMs } from '../../boundary/timeline';
import type { ServiceRow } from '../../boundary/types';
import { CONFIG_PAGE_URL } from '../../constants';
import { jaegerNote, traceLinksFor, traceTargetOf, type TraceLinkSpec } from '../../boundary/traceEvidence';
import { buildExploreUrl, buildTraceQuery, isJaegerLimit, type TraceConventions } from '../../query/traceLinks';
import { getAppSettings } from '../../settings/appSettings';
import type { AppSettings } from '../../settings/types';
import { testIds } from '../../testIds';

/**
 * The traces behind each flag, opened in Explore over the page's range, or over the flag's latest stretch where the
 * timeline dated it (the traces from before its onset hold none of the anomaly): what they show in words, which spans the
 * query selects and what it cannot tell; where Jaeger cannot ask for them, why, instead of a link.
 */
export function FlagTraceLinks({ row, range }: { row: ServiceRow; range: TimeRange }) {
  const styles = useStyles2(getStyles);
  const settings = getAppSettings();
  const { tracesDatasourceUid: uid, tracesDatasourceType: type } = settings;
  if (!uid || !type) {
    return (
      <LinkButton href={CONFIG_PAGE_URL} variant="secondary" size="sm" icon="cog" fill="text">
        Configure a traces datasource to open the matching traces
      </LinkButton>
    );
  }
  const windowOf = (link: TraceLinkSpec) => {
    const onset = link.flag ? row.timeline?.onsets[link.flag] : undefined;
    const { fromMs, toMs } = flagStretchMs(onset, { fromMs: range.from.valueOf(), toMs: range.to.valueOf() });
    return { from: String(fromMs), to: String(toMs) };
  };
  const conventions = conventionsOf(settings);
  const links = traceLinksFor(row, settings.thresholds, conventions);
  return (
    <ul className={styles.list} aria-label="Traces">
      {links.map((link) => {
        const query = buildTraceQuery({ type, uid }, traceTargetOf(row), link.evidence, conventions);
        const key = `${link.flag ?? 'none'}-${link.evidence.kind}`;
        const note = type === 'jaeger' ? jaegerNote(link.evidence, conventions) : undefined;
        return (
          <li key={key} className={styles.item}>
            {isJaegerLimit(query) ? (
              <UnavailableLink link={link} reason={query.unsupported} />
            ) : (
              <ExploreLink
                link={link}
                href={buildExploreUrl(config.appSubUrl, query, windowOf(link), config.bootData.user.orgId)}
              />
            )}
            <Text element="p" variant="bodySmall" color="secondary" data-testid={testIds.service.traceLinkExplanation}>
              {link.explanation}
              {note && ` ${note}`}
            </Text>
          </li>
        );
      })}
    </ul>
  );
}

function conventionsOf(settings: AppSettings): TraceConventions {
  return { semconv: settings.semconv, grpcFailureCodes: settings.grpcFailureCodes };
}

function ExploreLink({ link, href }: { link: TraceLinkSpec; href: string }) {
  const styles = useStyles2(getStyles);
  // A plain anchor: LinkButton sanitises its href by decoding it, which breaks the `&&` of TraceQL in `panes`.
  return (
    <a
      className={styles.link}
      href={href}
      data-testid={testIds.service.traceLink}
      data-flag={link.flag ?? ''}
      data-evidence={link.evidence.kind}
    >
      <Icon name="compass" /> {link.title}
    </a>
  );
}

function UnavailableLink({ link, reason }: { link: TraceLinkSpec; reason: string }) {
  const styles = useStyles2(getStyles);
  return (
    <span
      className={styles.unavailable}
      data-testid={testIds.service.traceLinkUnavailable}
      data-flag={link.flag ?? ''}
      data-evidence={link.evidence.kind}
    >
      <Icon name="info-circle" /> {link.title}: no Jaeger search. {reason}
    </span>
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
  list: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'grid',
    gap: theme.spacing(1),
  }),
  item: css({
    display: 'grid',
    gap: theme.spacing(0.5),
    justifyItems: 'start',
    maxWidth: '120ch',
    p: { margin: 0 },
  }),
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
  unavailable: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
