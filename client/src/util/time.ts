/** Times in the viewer's own time zone (the browser's), in English. */
import { ref } from 'vue';
import { t } from '../i18n';

// Made on first use, not when a page's code loads: building them costs a browser
// 3–10 ms each (measured on the document page's open), and most pages show no time at first.
let absoluteFormat: Intl.DateTimeFormat | null = null;
let relativeFormat: Intl.RelativeTimeFormat | null = null;

/** A clock that ticks every 30 s so relative times stay current. */
export const now = ref(Date.now());
setInterval(() => {
  now.value = Date.now();
}, 30_000);

/** "27 Nov 2025, 14:05 CET" in the viewer's time zone. */
export function formatAbsolute(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  absoluteFormat ??= new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
  return absoluteFormat.format(date);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "just now", "5 minutes ago", "in 3 days". */
export function formatRelative(iso: string, reference = now.value): string {
  const time = new Date(iso).getTime();
  if (Number.isNaN(time)) return '';
  const diff = time - reference;
  if (Math.abs(diff) < 45_000) return t('time.justNow');
  relativeFormat ??= new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size) return relativeFormat.format(Math.round(diff / size), unit);
  }
  return relativeFormat.format(Math.round(diff / 60_000), 'minute');
}
