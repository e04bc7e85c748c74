/** Generated strings for the escaping properties: what matters to PromQL strings, RE2, URLs and YAML. */
import fc from 'fast-check';

/** Characters with a meaning somewhere on the way (PromQL, regex, URL, YAML, JSON), mixed with plain and wide text. */
export const NASTY_STRING = fc.stringOf(
  fc.oneof(
    fc.constantFrom('"', '\\', '\n', '\r', '\t', '}', '{', '#', ' ', '`', "'", '$', '%', '/', '?', '.', '*', '+'),
    fc.constantFrom('|', '(', ')', '[', ']', '^', '-', ',', '=', '~', '!', '\0', '\u2028', 'ü', '東', '🚀', 'a'),
    fc.string({ unit: 'grapheme', maxLength: 3 })
  ),
  { maxLength: 40 }
);

/** Any text a label value may hold: the nasty mix, any unicode, and ASCII control characters. */
export const ANY_LABEL_VALUE = fc.oneof(
  NASTY_STRING,
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary-ascii' })
);
