import { describe, expect, it } from 'vitest';
import { MARKDOWN_PARSE_ERROR, formatMarkdownEntry, parseMarkdownEntry } from '../../src/opencode/config/markdown.js';

describe('parseMarkdownEntry', () => {
  it('reads the front matter in file order and the body trimmed', () => {
    const entry = parseMarkdownEntry(
      '---\nmode: subagent\ndescription: Reviews code\ntemperature: 0.2\n---\n\n  Review it.\n\n',
    );
    expect(Object.keys(entry.frontMatter)).toEqual(['mode', 'description', 'temperature']);
    expect(entry.frontMatter).toEqual({ mode: 'subagent', description: 'Reviews code', temperature: 0.2 });
    expect(entry.body).toBe('Review it.');
  });

  it('accepts CRLF line ends', () => {
    const entry = parseMarkdownEntry('---\r\nmode: primary\r\ntools:\r\n  bash: false\r\n---\r\nBody\r\n');
    expect(entry).toEqual({ frontMatter: { mode: 'primary', tools: { bash: false } }, body: 'Body' });
  });

  it('reads a file without front matter as all body', () => {
    expect(parseMarkdownEntry('\nJust a prompt.\n')).toEqual({ frontMatter: {}, body: 'Just a prompt.' });
  });

  it('reads an empty YAML block, a null one and a closing line at the end of the file as front matter', () => {
    expect(parseMarkdownEntry('---\n---\nBody')).toEqual({ frontMatter: {}, body: 'Body' });
    expect(parseMarkdownEntry('---\n~\n---\nBody')).toEqual({ frontMatter: {}, body: 'Body' });
    expect(parseMarkdownEntry('---\nmode: all\n---')).toEqual({ frontMatter: { mode: 'all' }, body: '' });
  });

  it('ignores a byte order mark', () => {
    expect(parseMarkdownEntry('\ufeff---\nmode: all\n---\nx').frontMatter).toEqual({ mode: 'all' });
  });

  it('refuses invalid YAML and front matter that is not a mapping', () => {
    expect(() => parseMarkdownEntry('---\nmode: [unclosed\n---\nx')).toThrow(MARKDOWN_PARSE_ERROR);
    expect(() => parseMarkdownEntry('---\n- a\n- b\n---\nx')).toThrow(MARKDOWN_PARSE_ERROR);
    expect(() => parseMarkdownEntry('---\njust text\n---\nx')).toThrow(MARKDOWN_PARSE_ERROR);
  });

  it('keeps a __proto__ key as data', () => {
    const entry = parseMarkdownEntry('---\n__proto__: 1\n---\n');
    expect(Object.keys(entry.frontMatter)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(entry.frontMatter)).toBe(Object.prototype);
  });
});

describe('formatMarkdownEntry', () => {
  it('writes ---, the YAML, ---, a blank line and the body with no newline added', () => {
    const text = formatMarkdownEntry({ frontMatter: { mode: 'subagent', tools: { bash: false } }, body: 'Prompt' });
    expect(text).toBe('---\nmode: subagent\ntools:\n  bash: false\n---\n\nPrompt');
  });

  it('writes an empty front matter as {}', () => {
    expect(formatMarkdownEntry({ frontMatter: {}, body: '' })).toBe('---\n{}\n---\n\n');
  });

  it('reads back what it wrote', () => {
    const entry = {
      frontMatter: { description: 'a: tricky\nvalue', model: null, temperature: 0.5 },
      body: 'Multi\nline',
    };
    expect(parseMarkdownEntry(formatMarkdownEntry(entry))).toEqual(entry);
  });
});
