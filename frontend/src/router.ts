// A tiny history-API router: route table → page + params; same-origin <a> clicks are handled in-app.

export type Route =
  | { page: 'home'; feed: 'global' | 'following' | 'tag'; tag?: string; pageNo: number }
  | { page: 'login' }
  | { page: 'register' }
  | { page: 'settings' }
  | { page: 'editor'; slug?: string }
  | { page: 'article'; slug: string }
  | { page: 'profile'; username: string; tab: 'articles' | 'favorites' | 'drafts'; pageNo: number }
  | { page: 'search'; q: string; mode: SearchMode; tag: string; pageNo: number }
  | { page: 'notfound' };

export type SearchMode = 'hybrid' | 'text' | 'semantic';
export const SEARCH_MODES: SearchMode[] = ['hybrid', 'text', 'semantic'];

function pageNumber(params: URLSearchParams): number {
  const n = Number(params.get('page'));
  return Number.isInteger(n) && n >= 1 && n <= 100000 ? n : 1;
}

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export function parseRoute(pathname: string, search: string): Route {
  const params = new URLSearchParams(search);
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const parts = path.split('/').slice(1).map(decode);
  if (parts.some(p => p === null)) return { page: 'notfound' };
  const [a, b, c, ...rest] = parts as string[];
  if (path === '/' || path === '') {
    return { page: 'home', feed: params.get('feed') === 'following' ? 'following' : 'global', pageNo: pageNumber(params) };
  }
  if (a === 'tag' && b && c === undefined) return { page: 'home', feed: 'tag', tag: b, pageNo: pageNumber(params) };
  if (a === 'login' && b === undefined) return { page: 'login' };
  if (a === 'register' && b === undefined) return { page: 'register' };
  if (a === 'settings' && b === undefined) return { page: 'settings' };
  if (a === 'editor' && c === undefined) return b ? { page: 'editor', slug: b } : { page: 'editor' };
  if (a === 'article' && b && c === undefined) return { page: 'article', slug: b };
  if (a === 'profile' && b && rest.length === 0) {
    if (c === undefined) return { page: 'profile', username: b, tab: 'articles', pageNo: pageNumber(params) };
    if (c === 'favorites' || c === 'drafts') return { page: 'profile', username: b, tab: c, pageNo: pageNumber(params) };
  }
  if (a === 'search' && b === undefined) {
    const mode = params.get('mode') as SearchMode;
    return {
      page: 'search',
      q: (params.get('q') || '').slice(0, 500),
      mode: SEARCH_MODES.includes(mode) ? mode : 'hybrid',
      tag: params.get('tag') || '',
      pageNo: pageNumber(params),
    };
  }
  return { page: 'notfound' };
}

/** The same URL with `page=N` set (page 1 drops the parameter). */
export function withPage(pathname: string, search: string, pageNo: number): string {
  const params = new URLSearchParams(search);
  if (pageNo <= 1) params.delete('page');
  else params.set('page', String(pageNo));
  const s = params.toString();
  return s ? `${pathname}?${s}` : pathname;
}

const listeners = new Set<() => void>();

export function onNavigate(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify() {
  listeners.forEach(l => l());
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const current = location.pathname + location.search;
  if (opts.replace) history.replaceState(null, '', to);
  else if (to !== current) history.pushState(null, '', to);
  if (!opts.replace && to === current) return notify();
  if (!opts.replace) window.scrollTo(0, 0);
  notify();
}

/** Route same-origin link clicks through the router (history API), leaving modified clicks to the browser. */
export function installLinkHandler(doc: Document): void {
  window.addEventListener('popstate', notify);
  doc.addEventListener('click', e => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const anchor = (e.target as Element | null)?.closest?.('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const href = anchor.getAttribute('href');
    if (href === null || href === '' || href.startsWith('#')) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin) return;
    if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/admin')) return;
    e.preventDefault();
    navigate(url.pathname + url.search);
  });
}
