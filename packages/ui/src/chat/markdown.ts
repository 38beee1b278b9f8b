/**
 * Model output → HTML for the conversation. The model's text is untrusted (it may quote web
 * pages, files, or be steered by them), so what comes out must be inert:
 *
 * - markdown-it with `html: false`: raw HTML in the text is escaped, never parsed;
 * - links only to http(s) and mailto (and in-page anchors); anything else (`javascript:`,
 *   `data:`, `file:`, `vbscript:`) is not a link at all; links open in a new tab without an opener;
 * - images are shown as links, not loaded: a reply must not make the window fetch a URL (a
 *   tracking pixel, or a request to a local service) just by being displayed;
 * - code blocks are highlighted by highlight.js, whose output escapes the code.
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdownLanguage from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import MarkdownIt from 'markdown-it';

const LANGUAGES = {
  bash,
  css,
  diff,
  go,
  javascript,
  json,
  markdown: markdownLanguage,
  python,
  rust,
  typescript,
  xml,
  yaml,
};
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);
hljs.registerAliases(['sh', 'shell', 'zsh', 'console'], { languageName: 'bash' });
hljs.registerAliases(['js', 'jsx', 'mjs', 'cjs'], { languageName: 'javascript' });
hljs.registerAliases(['ts', 'tsx', 'mts', 'cts'], { languageName: 'typescript' });
hljs.registerAliases(['html', 'svg'], { languageName: 'xml' });
hljs.registerAliases(['py'], { languageName: 'python' });
hljs.registerAliases(['rs'], { languageName: 'rust' });
hljs.registerAliases(['yml'], { languageName: 'yaml' });
hljs.registerAliases(['md'], { languageName: 'markdown' });

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Highlighted HTML of `code` (escaped plain text for a language we do not know). */
export function highlightCode(code: string, language: string): string {
  const name = language.trim().toLowerCase();
  if (name && hljs.getLanguage(name)) {
    try {
      return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
    } catch {
      // A grammar failing on odd input: plain text below is still correct.
    }
  }
  return escapeHtml(code);
}

const SAFE_LINK = /^(?:https?:|mailto:)/i;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Links we render: web and mail, in-page anchors, and scheme-less (relative) references. */
export function isSafeLink(url: string): boolean {
  // Browsers drop tabs/newlines and leading control characters before reading the scheme.
  // eslint-disable-next-line no-control-regex
  const compact = url.replace(/[\u0000-\u0020]/g, '');
  return SAFE_LINK.test(compact) || !HAS_SCHEME.test(compact);
}

const md = new MarkdownIt({
  html: false,
  linkify: true,
  breaks: false,
  highlight: (code, language) => highlightCode(code, language.split(/\s/)[0] ?? ''),
});
md.validateLink = isSafeLink;

md.renderer.rules.link_open = (tokens, index, options, _env, self) => {
  const token = tokens[index]!;
  const href = token.attrGet('href') ?? '';
  if (!href.startsWith('#')) {
    token.attrSet('target', '_blank');
    token.attrSet('rel', 'noopener noreferrer nofollow');
  }
  return self.renderToken(tokens, index, options);
};

md.renderer.rules.image = (tokens, index) => {
  const token = tokens[index]!;
  const src = token.attrGet('src') ?? '';
  const alt = token.content || src;
  return `<a class="md-image-link" href="${escapeHtml(src)}" target="_blank" rel="noopener noreferrer nofollow">🖼 ${escapeHtml(alt)}</a>`;
};

md.renderer.rules.fence = (tokens, index) => {
  const token = tokens[index]!;
  const language = token.info.trim().split(/\s+/)[0] ?? '';
  const label = language ? `<span class="md-code-lang">${escapeHtml(language)}</span>` : '';
  return `<pre class="md-code">${label}<code class="hljs">${highlightCode(token.content, language)}</code></pre>\n`;
};

/** The HTML of a Markdown text from the model (safe to put in the page: see the header). */
export function renderMarkdown(text: string): string {
  return md.render(text);
}
