import React, { useEffect, useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { ClipboardButton, LinkButton, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';
import { CONFIG_PAGE_URL } from '../../constants';
import { testIds } from '../../testIds';
import type { AppSettings } from '../../settings/types';

export const RULE_FILE_NAME = 'meshlens-rules.yaml';

const SCHEMA_NAMES: Record<AppSettings['labelSchema'], string> = {
  otel: 'the OTel Collector pipeline (layer="mesh", k8s_namespace_name, k8s_<kind>_name)',
  linkerd: 'linkerd-viz’s Prometheus (job="linkerd-proxy", namespace, deployment, …)',
};

/** The file as text, with a copy button and a download link (a Blob URL, revoked when the file changes). */
export function RuleFilePanel({ file, settings }: { file: string; settings: AppSettings }) {
  const styles = useStyles2(getStyles);
  const href = useMemo(() => URL.createObjectURL(new Blob([file], { type: 'application/yaml' })), [file]);
  useEffect(() => () => URL.revokeObjectURL(href), [href]);
  return (
    <Stack direction="column" gap={1}>
      <Text element="p" color="secondary">
        For {SCHEMA_NAMES[settings.labelSchema]}, {settings.semconv} semantic conventions, with the thresholds and join
        overrides of the{' '}
        <TextLink href={CONFIG_PAGE_URL} inline>
          configuration
        </TextLink>
        . Load it into Prometheus (<code>rule_files</code>), vmalert (<code>-rule</code>), or the Mimir or Thanos ruler;
        the recorded rates must reach the store the overview reads. docs/rules.md says what each rule does.
      </Text>
      <Stack direction="row" gap={1}>
        <ClipboardButton icon="copy" variant="secondary" getText={() => file}>
          Copy
        </ClipboardButton>
        <LinkButton
          icon="download-alt"
          variant="secondary"
          href={href}
          download={RULE_FILE_NAME}
          data-testid={testIds.rules.download}
        >
          Download {RULE_FILE_NAME}
        </LinkButton>
      </Stack>
      <pre className={styles.yaml} data-testid={testIds.rules.yaml}>
        {file}
      </pre>
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  yaml: css({
    maxHeight: 480,
    overflow: 'auto',
    margin: 0,
    padding: theme.spacing(1.5),
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
});
