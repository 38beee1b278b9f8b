/**
 * Font sizes ↔ the reference's `typographySizes` (CSS lengths as strings). The UI offers two:
 * interface text (`uiLabel`, from which headers and captions are derived) and code (`code`).
 */
import type { SettingsPayload, TypographySizes } from '@chamber/contract';

export type TypographyKey = 'uiLabel' | 'code';

export const TYPOGRAPHY_DEFAULTS: Record<TypographyKey, number> = { uiLabel: 13, code: 12 };
export const TYPOGRAPHY_CHOICES: Record<TypographyKey, readonly number[]> = {
  uiLabel: [12, 13, 14, 15, 16],
  code: [11, 12, 13, 14, 15, 16],
};

/** '14px' → 14; anything else (another unit, garbage, out of range) → null. */
export function parsePixels(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*px\s*$/i.exec(value);
  if (!match) return null;
  const pixels = Number(match[1]);
  return pixels >= 8 && pixels <= 32 ? pixels : null;
}

export function typographyFromSettings(settings: SettingsPayload): Record<TypographyKey, number> {
  const sizes: TypographySizes = settings.typographySizes ?? {};
  return {
    uiLabel: parsePixels(sizes.uiLabel) ?? TYPOGRAPHY_DEFAULTS.uiLabel,
    code: parsePixels(sizes.code) ?? TYPOGRAPHY_DEFAULTS.code,
  };
}

/** The partial save for one size; the server shallow-merges `typographySizes`, keeping the rest. */
export function typographyChange(key: TypographyKey, pixels: number): Partial<SettingsPayload> {
  return { typographySizes: { [key]: `${pixels}px` } };
}
