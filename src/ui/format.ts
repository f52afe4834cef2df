/** Small display helpers shared by the home and plan screens. */

/** `3m ago`, `2h ago`, `5d ago`, or the date for older changes. */
export function ago(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const s = Math.max(0, Math.round((now - then) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  if (s < 30 * 86_400) return `${Math.floor(s / 86_400)}d ago`;
  return iso.slice(0, 10);
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
