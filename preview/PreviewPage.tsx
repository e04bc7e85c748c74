import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, NavModelItem } from '@grafana/data';
import type { PluginPageProps } from '@grafana/runtime';
import { Stack, Tab, TabsBar, Text, TextLink, useStyles2 } from '@grafana/ui';

function breadcrumbs(item?: NavModelItem): NavModelItem[] {
  const trail: NavModelItem[] = [];
  for (let current = item; current; current = current.parentItem) {
    if (!current.hideFromBreadcrumbs) {
      trail.unshift(current);
    }
  }
  return trail;
}

/** Stands in for Grafana's page chrome: breadcrumbs, title, subtitle, actions and tabs. */
export function PreviewPage({ pageNav, subTitle, actions, children, renderTitle }: PluginPageProps) {
  const styles = useStyles2(getStyles);
  const trail = breadcrumbs(pageNav);
  return (
    <div className={styles.page}>
      <nav aria-label="Breadcrumbs" className={styles.breadcrumbs}>
        <Text color="secondary">Mesh Lens</Text>
        {trail.map((item) => (
          <React.Fragment key={item.url ?? item.text}>
            <Text color="secondary">›</Text>
            {item.url ? (
              <TextLink href={item.url} color="secondary" inline={false}>
                {item.text}
              </TextLink>
            ) : (
              <Text>{item.text}</Text>
            )}
          </React.Fragment>
        ))}
      </nav>
      <div className={styles.header}>
        <div>
          {renderTitle ? renderTitle(pageNav?.text ?? '') : <h1 className={styles.title}>{pageNav?.text}</h1>}
          {subTitle && <div className={styles.subTitle}>{subTitle}</div>}
        </div>
        <Stack direction="row" gap={1}>
          {actions}
        </Stack>
      </div>
      {pageNav?.children && (
        <TabsBar>
          {pageNav.children.map((tab) => (
            <Tab key={tab.url} label={tab.text} href={tab.url} active={tab.active} icon={tab.icon} />
          ))}
        </TabsBar>
      )}
      <div className={styles.body}>{children}</div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({
    padding: theme.spacing(2, 3),
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
    minWidth: 0,
    flex: 1,
  }),
  breadcrumbs: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center' }),
  header: css({
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'flex-start',
    gap: theme.spacing(2),
    flexWrap: 'wrap',
  }),
  title: css({ margin: 0, fontSize: theme.typography.h2.fontSize }),
  subTitle: css({ color: theme.colors.text.secondary, marginTop: theme.spacing(0.5) }),
  body: css({ flex: 1, minHeight: 0 }),
});
