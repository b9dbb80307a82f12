// The API client: same-origin `/api` by default (one build serves every tenant and custom domain),
// or the build-time PUBLIC_API_URL for a cross-origin deployment.

export interface Profile {
  username: string;
  bio: string | null;
  image: string | null;
  following: boolean;
}

export interface User {
  username: string;
  email: string;
  bio: string | null;
  image: string | null;
  token: string;
}

export interface Article {
  slug: string;
  title: string;
  description: string;
  body?: string;
  tagList: string[];
  createdAt: string;
  updatedAt: string;
  favorited: boolean;
  favoritesCount: number;
  author: Profile;
  status?: 'draft' | 'published';
  publishedAt?: string | null;
  // search hits only
  score?: number;
  highlights?: { title?: string; body?: string };
  readingTime?: number;
}

export interface ArticleList {
  articles: Article[];
  articlesCount: number;
}

export interface SearchResult extends ArticleList {
  mode: string;
  degraded: boolean;
}

export interface Comment {
  id: number;
  body: string;
  createdAt: string;
  author: Profile;
}

export interface Media {
  id: string;
  url: string;
  kind: string;
  contentType: string;
  size: number;
}

export type ApiErrorKind = 'network' | 'http' | 'parse';

export const NETWORK_MESSAGE = 'Unable to connect to the server. Check your connection and try again.';

export class ApiError extends Error {
  constructor(
    public kind: ApiErrorKind,
    public status: number,
    public errors: Record<string, string[]>,
  ) {
    super(errorMessages({ kind, status, errors } as ApiError).join('; '));
  }
}

/** Human-readable lines of an API error: `{"errors": {"email": ["is taken"]}}` → ["email is taken"]. */
export function errorMessages(err: unknown): string[] {
  if (!(err instanceof Object) || !('kind' in err)) return ['Something went wrong. Please try again.'];
  const e = err as ApiError;
  if (e.kind === 'network') return [NETWORK_MESSAGE];
  const lines: string[] = [];
  for (const [field, messages] of Object.entries(e.errors || {})) {
    const list = Array.isArray(messages) ? messages : [String(messages)];
    for (const m of list) lines.push(field === 'message' || field === 'detail' ? String(m) : `${field} ${m}`);
  }
  if (lines.length) return lines;
  if (e.kind === 'parse') return [`The server sent an unreadable answer (HTTP ${e.status}). Please try again.`];
  if (e.status >= 500) return [`The server had a problem (HTTP ${e.status}). Please try again.`];
  return [`The request failed (HTTP ${e.status}).`];
}

export function apiBase(): string {
  const configured = (import.meta.env && import.meta.env.PUBLIC_API_URL) || '';
  return String(configured || '/api').replace(/\/+$/, '');
}

type TokenSource = () => string | null;
let tokenSource: TokenSource = () => null;

/** The auth store tells the client which token to send (none while signed out). */
export function setTokenSource(source: TokenSource): void {
  tokenSource = source;
}

export interface RequestOptions {
  body?: unknown;
  form?: FormData;
  token?: string | null; // explicit token (overrides the store's), `null` sends none
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = opts.token !== undefined ? opts.token : tokenSource();
  if (token) headers.Authorization = `Token ${token}`;
  let body: BodyInit | undefined;
  if (opts.form) body = opts.form;
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    // Small writes use keepalive, so a favorite or follow clicked just before navigating away still lands.
    // Same origin only: a cross-origin keepalive request cannot be preflighted everywhere.
    const base = apiBase();
    const keepalive = base.startsWith('/') && method !== 'GET' && !opts.form && (typeof body !== 'string' || body.length < 60_000);
    res = await fetch(base + path, { method, headers, body, signal: opts.signal, keepalive });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError('network', 0, {});
  }
  const text = await res.text().catch(() => '');
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      throw new ApiError(res.ok ? 'parse' : 'http', res.status, {});
    }
  }
  if (!res.ok) {
    const errors =
      data && typeof data === 'object' && 'errors' in data && typeof (data as { errors: unknown }).errors === 'object'
        ? ((data as { errors: Record<string, string[]> }).errors ?? {})
        : {};
    throw new ApiError('http', res.status, errors);
  }
  return data as T;
}

/** Query string from defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

const enc = encodeURIComponent;

export interface ListFilter {
  tag?: string;
  author?: string;
  favorited?: string;
  feed?: boolean;
  drafts?: boolean;
  limit: number;
  offset: number;
}

function listShape(data: unknown): ArticleList {
  const d = (data || {}) as Partial<ArticleList>;
  return { articles: Array.isArray(d.articles) ? d.articles : [], articlesCount: Number(d.articlesCount) || 0 };
}

export const api = {
  login: (email: string, password: string) =>
    request<{ user: User }>('POST', '/users/login', { body: { user: { email, password } }, token: null }),
  register: (username: string, email: string, password: string) =>
    request<{ user: User }>('POST', '/users', { body: { user: { username, email, password } }, token: null }),
  currentUser: (token: string) => request<{ user: User }>('GET', '/user', { token }),
  updateUser: (user: Partial<User> & { password?: string }) => request<{ user: User }>('PUT', '/user', { body: { user } }),

  profile: (username: string) => request<{ profile: Profile }>('GET', `/profiles/${enc(username)}`),
  follow: (username: string, on: boolean) =>
    request<{ profile: Profile }>(on ? 'POST' : 'DELETE', `/profiles/${enc(username)}/follow`),

  articles: async (f: ListFilter): Promise<ArticleList> => {
    const page = { limit: f.limit, offset: f.offset };
    const path = f.feed
      ? `/articles/feed${query(page)}`
      : f.drafts
        ? `/user/drafts${query(page)}`
        : `/articles${query({ tag: f.tag, author: f.author, favorited: f.favorited, ...page })}`;
    return listShape(await request('GET', path));
  },
  article: (slug: string) => request<{ article: Article }>('GET', `/articles/${enc(slug)}`),
  createArticle: (article: Partial<Article>) => request<{ article: Article }>('POST', '/articles', { body: { article } }),
  updateArticle: (slug: string, article: Partial<Article>) =>
    request<{ article: Article }>('PUT', `/articles/${enc(slug)}`, { body: { article } }),
  deleteArticle: (slug: string) => request<unknown>('DELETE', `/articles/${enc(slug)}`),
  favorite: (slug: string, on: boolean) =>
    request<{ article: Article }>(on ? 'POST' : 'DELETE', `/articles/${enc(slug)}/favorite`),

  comments: async (slug: string) => {
    const d = await request<{ comments: Comment[] }>('GET', `/articles/${enc(slug)}/comments`);
    return d && Array.isArray(d.comments) ? d.comments : [];
  },
  addComment: (slug: string, body: string) =>
    request<{ comment: Comment }>('POST', `/articles/${enc(slug)}/comments`, { body: { comment: { body } } }),
  deleteComment: (slug: string, id: number) => request<unknown>('DELETE', `/articles/${enc(slug)}/comments/${id}`),

  tags: async () => {
    const d = await request<{ tags: string[] }>('GET', '/tags');
    return d && Array.isArray(d.tags) ? d.tags : [];
  },

  search: async (p: { q: string; mode?: string; tag?: string; limit: number; offset: number }): Promise<SearchResult> => {
    const d = await request<SearchResult>('GET', `/search${query(p)}`);
    return { ...listShape(d), mode: String(d?.mode || ''), degraded: Boolean(d?.degraded) };
  },
  related: async (slug: string, limit = 5) => {
    const d = await request<{ articles: Article[]; degraded: boolean }>('GET', `/articles/${enc(slug)}/related${query({ limit })}`);
    return { articles: Array.isArray(d?.articles) ? d.articles : [], degraded: Boolean(d?.degraded) };
  },

  upload: (file: File) => {
    const form = new FormData();
    form.append('file', file);
    return request<{ media: Media }>('POST', '/media', { form });
  },
};
