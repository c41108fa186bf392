/**
 * Light and dark themes: the system preference by default, or the person's choice kept in
 * localStorage (the dashboard's own preference; the tracker stores nothing).
 */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'footfall.theme';

/** The stored theme choice, 'system' when none. */
export function readTheme(): ThemeChoice {
  try {
    const value = window.localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

/** Applies a choice to <html data-theme> (the stylesheet follows prefers-color-scheme otherwise). */
export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', choice);
  window.dispatchEvent(new Event(THEME_EVENT));
  try {
    if (choice === 'system') window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, choice);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}

/** Fired on window when the theme changes (charts redraw in the new colours). */
export const THEME_EVENT = 'footfall-theme';

/** The theme actually shown. */
export function effectiveTheme(): 'light' | 'dark' {
  const attr = document.documentElement.getAttribute('data-theme');
  if (attr === 'light' || attr === 'dark') return attr;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
