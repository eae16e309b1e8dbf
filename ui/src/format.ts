/** @module Number formatting shared by tiles, panels and chart legends. */

/** Text shown for a value that is absent, stale without history, or unknown. */
export const ABSENT_TEXT = '—';

/** Formats a finite value with fixed decimals, or returns the absent dash. */
export function formatValue(value: number | null | undefined, decimals: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return ABSENT_TEXT;
  }
  // Avoid "-0" on a value that rounds to zero.
  const text = value.toFixed(decimals);
  return Number(text) === 0 ? (0).toFixed(decimals) : text;
}

/** Formats a duration in seconds as `45 s`, `3 min 5 s` or `2 h 4 min`. */
export function formatDurationS(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`;
}
