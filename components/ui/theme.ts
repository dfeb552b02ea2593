/** The person's theme choice; "system" follows prefers-color-scheme. */
export const ThemeChoice = { System: "system", Light: "light", Dark: "dark" } as const;
export type ThemeChoice = (typeof ThemeChoice)[keyof typeof ThemeChoice];

export const THEME_COOKIE = "scopewise_theme";

/** The cookie's value as a choice; anything else (absent, tampered) is "system". */
export function parseThemeChoice(value: string | undefined): ThemeChoice {
  return value === ThemeChoice.Light || value === ThemeChoice.Dark ? value : ThemeChoice.System;
}
