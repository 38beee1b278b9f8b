/**
 * Theme choice ↔ the reference's settings keys. A person picks light, dark or "follow the
 * system"; settings.json stores it as `useSystemTheme`, `themeVariant`, `themeId` and the pair
 * `lightThemeId`/`darkThemeId` used while following the system, as the reference UI does.
 */
import type { SettingsPayload } from '@chamber/contract';

export type ThemeVariant = 'light' | 'dark';
export type ThemePreference = ThemeVariant | 'system';

export const LIGHT_THEME_ID = 'chamber-light';
export const DARK_THEME_ID = 'chamber-dark';

export function themeIdFor(variant: ThemeVariant): string {
  return variant === 'dark' ? DARK_THEME_ID : LIGHT_THEME_ID;
}

export function preferenceFromSettings(settings: SettingsPayload): ThemePreference {
  if (settings.useSystemTheme === true) return 'system';
  if (settings.themeVariant === 'light' || settings.themeVariant === 'dark') return settings.themeVariant;
  // A settings file written by another UI may carry only a theme id ('flexoki-dark', ...).
  if (typeof settings.themeId === 'string') {
    if (/dark/i.test(settings.themeId)) return 'dark';
    if (/light/i.test(settings.themeId)) return 'light';
  }
  return 'system';
}

export function resolveVariant(preference: ThemePreference, systemPrefersDark: boolean): ThemeVariant {
  if (preference === 'system') return systemPrefersDark ? 'dark' : 'light';
  return preference;
}

/** The settings changes that record `preference` (`systemPrefersDark` fills the current variant). */
export function themeChanges(preference: ThemePreference, systemPrefersDark: boolean): Partial<SettingsPayload> {
  const variant = resolveVariant(preference, systemPrefersDark);
  return {
    useSystemTheme: preference === 'system',
    themeVariant: variant,
    themeId: themeIdFor(variant),
    lightThemeId: LIGHT_THEME_ID,
    darkThemeId: DARK_THEME_ID,
  };
}
