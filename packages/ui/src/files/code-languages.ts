/**
 * Which CodeMirror language a file is highlighted with, chosen by its name. Each language is its
 * own chunk, loaded the first time a file of that kind is opened, so the bundle carries none of
 * them up front.
 */
import type { LanguageSupport } from '@codemirror/language';

type Loaded = LanguageSupport;
type Loader = () => Promise<Loaded>;

const javascript =
  (options: { jsx?: boolean; typescript?: boolean }): Loader =>
  async () =>
    (await import('@codemirror/lang-javascript')).javascript(options);

const LOADERS: [RegExp, string, Loader][] = [
  [/\.(ts|mts|cts)$/i, 'TypeScript', javascript({ typescript: true })],
  [/\.tsx$/i, 'TypeScript JSX', javascript({ typescript: true, jsx: true })],
  [/\.(js|mjs|cjs)$/i, 'JavaScript', javascript({})],
  [/\.jsx$/i, 'JavaScript JSX', javascript({ jsx: true })],
  [
    /(\.(json|jsonc|json5)|\.(babel|eslint|prettier)rc)$/i,
    'JSON',
    async () => (await import('@codemirror/lang-json')).json(),
  ],
  [/\.(css|scss|less)$/i, 'CSS', async () => (await import('@codemirror/lang-css')).css()],
  [/\.(html?|xhtml|vue|svelte)$/i, 'HTML', async () => (await import('@codemirror/lang-html')).html()],
  [/\.(md|mdx|markdown)$/i, 'Markdown', async () => (await import('@codemirror/lang-markdown')).markdown()],
  [/\.(py|pyi|pyw)$/i, 'Python', async () => (await import('@codemirror/lang-python')).python()],
  [/\.rs$/i, 'Rust', async () => (await import('@codemirror/lang-rust')).rust()],
  [/\.(ya?ml)$/i, 'YAML', async () => (await import('@codemirror/lang-yaml')).yaml()],
];

/** The language's display name for a file name, or null when it is shown as plain text. */
export function languageName(fileName: string): string | null {
  return LOADERS.find(([pattern]) => pattern.test(fileName))?.[1] ?? null;
}

/** Load the language of `fileName`; null for plain text (or when its chunk failed to load). */
export async function loadLanguage(fileName: string): Promise<Loaded | null> {
  const loader = LOADERS.find(([pattern]) => pattern.test(fileName))?.[2];
  if (!loader) return null;
  try {
    return await loader();
  } catch {
    return null; // plain text is still readable
  }
}
