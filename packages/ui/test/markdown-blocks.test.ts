import { describe, expect, it } from 'vitest';
import { splitMarkdownBlocks } from '../src/chat/markdown-blocks.js';
import { renderMarkdown } from '../src/chat/markdown.js';

const REPLY = [
  '## Plan',
  '',
  'First a paragraph with **bold**, `code` and a [link](https://example.com).',
  '',
  '```ts',
  'const a = 1;',
  '',
  '',
  'const b = 2;',
  '```',
  '',
  '- one',
  '- two',
  '  - nested',
  '',
  '1. first',
  '2. second',
  '',
  '> quoted',
  '',
  '| a | b |',
  '| - | - |',
  '| 1 | 2 |',
  '',
  '    indented code',
  '',
  '    more of it',
  '',
  'The end.',
  '',
].join('\n');

describe('splitMarkdownBlocks', () => {
  it('cuts at blank lines between top-level blocks; the blocks join back to the text', () => {
    const blocks = splitMarkdownBlocks(REPLY);
    expect(blocks.join('')).toBe(REPLY);
    expect(blocks.map((block) => block.split('\n')[0])).toEqual([
      '## Plan',
      'First a paragraph with **bold**, `code` and a [link](https://example.com).',
      '```ts',
      '- one',
      '1. first',
      '> quoted',
      // An indented line may continue what precedes it: no cut before it.
      '| a | b |',
      'The end.',
    ]);
  });

  it('renders block by block to the same HTML as the whole text', () => {
    expect(splitMarkdownBlocks(REPLY).map(renderMarkdown).join('')).toBe(renderMarkdown(REPLY));
  });

  it('never cuts inside a fence, even an unclosed one (a reply still streaming)', () => {
    const streaming = 'Intro\n\n```py\nx = 1\n\n\ny = 2\n';
    expect(splitMarkdownBlocks(streaming)).toEqual(['Intro\n\n', '```py\nx = 1\n\n\ny = 2\n']);
    expect(splitMarkdownBlocks('~~~~\na\n\n```\nb\n~~~~\n\nafter')).toEqual(['~~~~\na\n\n```\nb\n~~~~\n\n', 'after']);
  });

  it('keeps a list item and its indented paragraph together', () => {
    expect(splitMarkdownBlocks('- item\n\n  its second paragraph\n\nnext')).toEqual([
      '- item\n\n  its second paragraph\n\n',
      'next',
    ]);
  });

  it('does not cut text with reference-style link definitions', () => {
    const text = 'See [the docs][d].\n\n[d]: https://example.com/docs\n';
    expect(splitMarkdownBlocks(text)).toEqual([text]);
  });

  it('short and empty texts are one block', () => {
    expect(splitMarkdownBlocks('')).toEqual(['']);
    expect(splitMarkdownBlocks('one line')).toEqual(['one line']);
    expect(splitMarkdownBlocks('trailing\n\n')).toEqual(['trailing\n\n']);
  });
});
