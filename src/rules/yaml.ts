/**
 * Writes rule groups as a Prometheus rule file. Expressions and templates go into literal block scalars (`|-`), so
 * PromQL and Go templates are written as they are, without YAML escapes; anything a block scalar cannot hold
 * (control characters, leading spaces) is written double-quoted, with JSON's escapes, which YAML shares.
 */
import { isAlertingRule, type Rule, type RuleGroup } from './types';

const INDENT = '  ';
const COMMENT_WIDTH = 116;

const YAML_WORDS = /^(?:y|n|yes|no|true|false|on|off|null|~)$/i;
const YAML_NUMBER = /^[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$|^0[xo][\da-f]+$|^[-+]?\.(?:inf|nan)$/i;
const PLAIN = /^[A-Za-z0-9_][A-Za-z0-9_.:/-]*$/;

function quoted(value: string): string {
  return JSON.stringify(value);
}

function plainOrQuoted(value: string): string {
  return PLAIN.test(value) && !YAML_WORDS.test(value) && !YAML_NUMBER.test(value) ? value : quoted(value);
}

/** A block scalar holds printable text that neither starts with a space nor ends a line with one. */
function fitsBlock(value: string): boolean {
  return (
    value !== '' &&
    !/[\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029]/.test(value) &&
    !/^\s/.test(value) &&
    !/[ \t](?:\n|$)/.test(value)
  );
}

/** `key: value` at `depth`, the value as a block scalar when `block` and possible. */
function entry(key: string, value: string, depth: number, block: boolean): string[] {
  const pad = INDENT.repeat(depth);
  if (block && fitsBlock(value) && (value.includes('\n') || value.length > 60 || !PLAIN.test(value))) {
    const inner = INDENT.repeat(depth + 1);
    return [`${pad}${key}: |-`, ...value.split('\n').map((line) => (line === '' ? '' : `${inner}${line}`))];
  }
  return [`${pad}${key}: ${block && value.includes('\n') ? quoted(value) : plainOrQuoted(value)}`];
}

function comment(text: string | undefined, depth: number): string[] {
  if (!text) {
    return [];
  }
  const pad = `${INDENT.repeat(depth)}# `;
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && pad.length + line.length + 1 + word.length > COMMENT_WIDTH) {
        lines.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    lines.push(line);
  }
  return lines.map((line) => `${pad}${line}`.trimEnd());
}

function map(key: string, values: Record<string, string> | undefined, depth: number, block: boolean): string[] {
  const keys = Object.keys(values ?? {});
  if (!values || keys.length === 0) {
    return [];
  }
  return [
    `${INDENT.repeat(depth)}${key}:`,
    ...keys.flatMap((k) => entry(plainOrQuoted(k), values[k], depth + 1, block)),
  ];
}

/** One rule as a list item at `depth`. */
function rule(r: Rule, depth: number): string[] {
  const lines = [...comment(r.comment, depth)];
  const fields: string[] = [];
  const inner = depth + 1;
  if (isAlertingRule(r)) {
    fields.push(...entry('alert', r.alert, inner, false));
    fields.push(...entry('expr', r.expr, inner, true));
    if (r.for !== undefined) {
      fields.push(...entry('for', r.for, inner, false));
    }
    fields.push(...map('labels', r.labels, inner, false));
    fields.push(...map('annotations', r.annotations, inner, true));
  } else {
    fields.push(...entry('record', r.record, inner, false));
    fields.push(...entry('expr', r.expr, inner, true));
    fields.push(...map('labels', r.labels, inner, false));
  }
  // The first field goes on the list item's line.
  const first = fields[0].slice(INDENT.repeat(inner).length);
  lines.push(`${INDENT.repeat(depth)}- ${first}`, ...fields.slice(1));
  return lines;
}

/** The rule file: a header comment, then `groups:`. */
export function serializeRuleFile(groups: RuleGroup[], header?: string): string {
  const lines = [...comment(header, 0), 'groups:'];
  for (const group of groups) {
    lines.push(...comment(group.comment, 1));
    lines.push(`${INDENT}- name: ${plainOrQuoted(group.name)}`);
    lines.push(`${INDENT}${INDENT}interval: ${plainOrQuoted(group.interval)}`);
    lines.push(`${INDENT}${INDENT}rules:`);
    for (const r of group.rules) {
      lines.push(...rule(r, 3));
    }
  }
  return `${lines.join('\n')}\n`;
}
