// Small pure helpers with logic worth unit-testing.

export const PAGE_SIZE = 10;
export const DEFAULT_AVATAR = '/default-avatar.svg';

/** An avatar URL safe for <img src>: http(s) or same-origin paths only; anything else is the default avatar. */
export function avatar(image: string | null | undefined): string {
  const value = (image || '').trim();
  if (!value) return DEFAULT_AVATAR;
  if (/^https?:\/\//i.test(value) && !/["'<>\s]/.test(value)) return value;
  if (/^\/(?!\/)/.test(value) && !/["'<>\s]/.test(value)) return value;
  return DEFAULT_AVATAR;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
}

export function pageCount(total: number, size = PAGE_SIZE): number {
  return total > 0 ? Math.ceil(total / size) : 0;
}

/** Page numbers to show: all up to 10 pages, else first, last and a window around the current one (0 = gap). */
export function pageWindow(current: number, pages: number, radius = 2): number[] {
  if (pages <= 10) return Array.from({ length: pages }, (_, i) => i + 1);
  const out: number[] = [];
  const lo = Math.max(2, current - radius);
  const hi = Math.min(pages - 1, current + radius);
  out.push(1);
  if (lo > 2) out.push(0);
  for (let p = lo; p <= hi; p++) out.push(p);
  if (hi < pages - 1) out.push(0);
  out.push(pages);
  return out;
}

/** Add a tag typed in the editor: trimmed, non-empty, no duplicates, order kept. */
export function addTag(tags: string[], raw: string): string[] {
  const tag = raw.trim();
  if (!tag || tags.includes(tag)) return tags;
  return [...tags, tag];
}

/** Insert text into a string at [start, end), returning the new value and the caret position after it. */
export function insertAt(value: string, start: number, end: number, text: string): { value: string; caret: number } {
  const s = Math.max(0, Math.min(start, value.length));
  const e = Math.max(s, Math.min(end, value.length));
  return { value: value.slice(0, s) + text + value.slice(e), caret: s + text.length };
}

/** Markdown for an uploaded image, alt text from its file name with markdown metacharacters removed. */
export function imageMarkdown(fileName: string, url: string): string {
  const alt = fileName.replace(/\.[a-z0-9]+$/i, '').replace(/[[\]()\\`*_<>!]/g, ' ').trim() || 'image';
  return `![${alt}](${url.replace(/[()\s]/g, c => ({ '(': '%28', ')': '%29' })[c] ?? encodeURIComponent(c))})`;
}
