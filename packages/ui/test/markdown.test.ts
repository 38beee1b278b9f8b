import { describe, expect, it } from 'vitest';
import { highlightCode, isSafeLink, renderMarkdown } from '../src/chat/markdown.js';

describe('renderMarkdown: model output is inert', () => {
  it('escapes raw HTML: a <script> is text, not an element', () => {
    const html = renderMarkdown('before <script>alert(1)</script> after\n\n<script>alert(2)</script>');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('an <img onerror> is text, and Markdown images are links, never loaded', () => {
    const html = renderMarkdown('<img src=x onerror="alert(1)">\n\n![pixel](https://tracker.example/p.gif)');
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(html).toContain('<a class="md-image-link" href="https://tracker.example/p.gif"');
  });

  it('javascript:, data: and vbscript: links are not links', () => {
    for (const url of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:msgbox(1)']) {
      const html = renderMarkdown(`[click](${url})`);
      expect(html, url).not.toMatch(/<a /);
    }
    expect(renderMarkdown('<javascript:alert(1)>')).not.toMatch(/<a /);
    expect(isSafeLink('java\tscript:alert(1)')).toBe(false);
    expect(isSafeLink(' javascript:alert(1)')).toBe(false);
  });

  it('web and mail links open in a new tab without an opener', () => {
    const html = renderMarkdown('[docs](https://opencode.ai/docs) and [me](mailto:a@b.c) and [here](#top)');
    expect(html).toContain(
      '<a href="https://opencode.ai/docs" target="_blank" rel="noopener noreferrer nofollow">docs</a>',
    );
    expect(html).toContain('href="mailto:a@b.c"');
    expect(html).toContain('<a href="#top">here</a>');
  });

  it('highlights fenced code in a registered language, escaping it', () => {
    const html = renderMarkdown('```ts\nconst a: string = "<b>";\n```');
    expect(html).toContain('<pre class="md-code"><span class="md-code-lang">ts</span><code class="hljs">');
    expect(html).toContain('<span class="hljs-keyword">const</span>');
    expect(html).toContain('&lt;b&gt;');
    expect(html).not.toContain('<b>');
  });

  it('code in an unknown language is escaped plain text', () => {
    expect(highlightCode('<script>x</script>', 'klingon')).toBe('&lt;script&gt;x&lt;/script&gt;');
    const html = renderMarkdown('```"><img src=x onerror=alert(1)>\nx\n```');
    expect(html).not.toMatch(/<img/i);
  });
});
