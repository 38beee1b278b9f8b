/**
 * Applies the theme and font sizes to the document, follows the system's colour scheme, and
 * caches the resolved theme so the next load paints in it before settings arrive (index.html).
 */
import { useEffect } from 'react';
import { preferenceFromSettings, resolveVariant } from '../lib/theme.js';
import { typographyFromSettings } from '../lib/typography.js';
import { useSettings } from '../state/settings.js';

export const THEME_CACHE_KEY = 'chamber:theme';

export function useDocumentAppearance(): void {
  const settings = useSettings((state) => state.settings);
  const systemPrefersDark = useSettings((state) => state.systemPrefersDark);
  const setSystemPrefersDark = useSettings((state) => state.setSystemPrefersDark);

  useEffect(() => {
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    const update = () => setSystemPrefersDark(query.matches);
    update();
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, [setSystemPrefersDark]);

  useEffect(() => {
    if (!settings) return;
    const variant = resolveVariant(preferenceFromSettings(settings), systemPrefersDark);
    const root = document.documentElement;
    root.dataset.theme = variant;
    root.style.colorScheme = variant;
    const sizes = typographyFromSettings(settings);
    root.style.setProperty('--ui-size', `${sizes.uiLabel}px`);
    root.style.setProperty('--code-size', `${sizes.code}px`);
    try {
      localStorage.setItem(THEME_CACHE_KEY, variant);
    } catch {}
  }, [settings, systemPrefersDark]);
}
