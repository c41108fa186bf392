/** Number, duration and percentage formatting for the dashboard (locale-independent and short). */

/** 1234 -> '1.2k', 1234567 -> '1.2M'. */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${trim(value / 1e9)}B`;
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e4) return `${trim(value / 1e3)}k`;
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/\.?0+$/, '');
}

function trim(n: number): string {
  return n.toFixed(1).replace(/\.0$/, '');
}

/** Seconds -> '1m 05s', '2h 03m'. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '-';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** 33.333 -> '33.3%'. */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  return `${Math.round(value * 10) / 10}%`;
}

/** A metric value in its unit. */
export function formatMetric(metric: string, value: number | null | undefined): string {
  if (metric === 'visit_duration') return formatDuration(value);
  if (metric === 'bounce_rate' || metric === 'conversion_rate' || metric === 'percentage') return formatPercent(value);
  if (metric === 'views_per_visit') return value === null || value === undefined ? '-' : String(Math.round(value * 100) / 100);
  return formatCount(value);
}

/** Country name for an ISO code, from the browser's own data (no table shipped). */
export function countryName(code: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return code || '(unknown)';
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Flag emoji of an ISO country code (regional indicator symbols); '' when not a code. */
export function countryFlag(code: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return '';
  return String.fromCodePoint(...[...code].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}
