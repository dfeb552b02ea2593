"use client";

import { useState } from "react";
import { THEME_COOKIE, ThemeChoice, type ThemeChoice as Choice } from "@/components/ui/theme";

/**
 * Light, dark or the system's preference. The choice is kept in a cookie the server reads to
 * render `data-theme` on <html>, so the next page paints in the right theme from the start;
 * here it also applies at once.
 */
export function ThemeSwitch({ initial }: { initial: Choice }) {
  const [choice, setChoice] = useState<Choice>(initial);
  return (
    <label className="theme-switch">
      <span className="visually-hidden">Theme</span>
      <select
        className="select"
        value={choice}
        onChange={(e) => {
          const next = e.target.value as Choice;
          setChoice(next);
          document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
          if (next === ThemeChoice.System) delete document.documentElement.dataset.theme;
          else document.documentElement.dataset.theme = next;
        }}
      >
        <option value={ThemeChoice.System}>◐ System theme</option>
        <option value={ThemeChoice.Light}>☀ Light</option>
        <option value={ThemeChoice.Dark}>☾ Dark</option>
      </select>
    </label>
  );
}
