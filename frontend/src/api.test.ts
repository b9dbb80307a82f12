// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, NETWORK_MESSAGE, api, errorMessages, query, request, setTokenSource } from './api';
import { json, startServer } from './test/server';

let server: Awaited<ReturnType<typeof startServer>>;
let reply: (url: string, method: string) => [number, unknown] | 'raw' = () => [200, {}];

beforeAll(async () => {
  server = await startServer((req, res) => {
    const r = reply(req.url, req.method);
    if (r === 'raw') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{ not json');
      return;
    }
    json(res, r[0], r[1]);
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.seen.length = 0;
  vi.stubEnv('PUBLIC_API_URL', server.base);
  setTokenSource(() => null);
});

describe('request', () => {
  it('sends JSON with the token of the store and parses the answer', async () => {
    setTokenSource(() => 'abc.def');
    reply = () => [201, { article: { slug: 'hello' } }];
    const out = await api.createArticle({ title: 'Hello', tagList: [] });
    expect(out.article.slug).toBe('hello');
    const seen = server.seen[0];
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/api/articles');
    expect(seen.headers.authorization).toBe('Token abc.def');
    expect(seen.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen.body)).toEqual({ article: { title: 'Hello', tagList: [] } });
  });

  it('login and register never send a stored token', async () => {
    setTokenSource(() => 'stale');
    reply = () => [200, { user: { username: 'ann', token: 't' } }];
    await api.login('a@x.io', 'pw');
    expect(server.seen[0].headers.authorization).toBeUndefined();
    expect(JSON.parse(server.seen[0].body)).toEqual({ user: { email: 'a@x.io', password: 'pw' } });
  });

  it('accepts any 2xx, with or without a body', async () => {
    reply = () => [204, undefined];
    await expect(api.deleteComment('s', 3)).resolves.toBeNull();
    reply = () => [200, {}];
    await expect(api.deleteArticle('s')).resolves.toEqual({});
    expect(server.seen.map(s => `${s.method} ${s.url}`)).toEqual(['DELETE /api/articles/s/comments/3', 'DELETE /api/articles/s']);
  });

  it('turns RealWorld errors into an ApiError with readable lines', async () => {
    reply = () => [422, { errors: { email: ['has already been taken'], username: ['is too short'] } }];
    const err = await api.register('ab', 'a@x.io', 'pw').catch(e => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(errorMessages(err)).toEqual(['email has already been taken', 'username is too short']);
  });

  it('reports a 5xx without a body, and an unreadable 200, without throwing raw errors', async () => {
    reply = () => [500, undefined];
    expect(errorMessages(await api.tags().catch(e => e))).toEqual(['The server had a problem (HTTP 500). Please try again.']);
    reply = () => 'raw';
    const err = await api.tags().catch(e => e);
    expect(err.kind).toBe('parse');
  });

  it('reports an unreachable server as "Unable to connect"', async () => {
    vi.stubEnv('PUBLIC_API_URL', 'http://127.0.0.1:9/api');
    const err = await request<never>('GET', '/tags').catch((e: ApiError) => e);
    expect(err.kind).toBe('network');
    expect(errorMessages(err)).toEqual([NETWORK_MESSAGE]);
    expect(NETWORK_MESSAGE).toContain('Unable to connect');
  });

  it('builds list, feed, drafts and search URLs', async () => {
    reply = () => [200, { articles: [], articlesCount: 0, mode: 'text', degraded: true }];
    await api.articles({ tag: 'a b', offset: 10, limit: 10 });
    await api.articles({ feed: true, offset: 0, limit: 10 });
    await api.articles({ drafts: true, offset: 20, limit: 10 });
    await api.articles({ author: 'ann', favorited: undefined, offset: 0, limit: 10 });
    const r = await api.search({ q: 'sourdough bread', mode: 'semantic', tag: undefined, limit: 10, offset: 0 });
    expect(r.degraded).toBe(true);
    expect(server.seen.map(s => s.url)).toEqual([
      '/api/articles?tag=a+b&limit=10&offset=10',
      '/api/articles/feed?limit=10&offset=0',
      '/api/user/drafts?limit=10&offset=20',
      '/api/articles?author=ann&limit=10&offset=0',
      '/api/search?q=sourdough+bread&mode=semantic&limit=10&offset=0',
    ]);
  });

  it('survives list answers of the wrong shape', async () => {
    reply = () => [200, { articles: 'nope' }];
    expect(await api.articles({ offset: 0, limit: 10 })).toEqual({ articles: [], articlesCount: 0 });
    reply = () => [204, undefined];
    expect(await api.tags()).toEqual([]);
  });

  it('uploads media as multipart with the file field', async () => {
    setTokenSource(() => 'tok');
    reply = () => [201, { media: { id: '1', url: 'http://x/api/media/1/file' } }];
    const file = new File([new Uint8Array([137, 80, 78, 71])], 'cat.png', { type: 'image/png' });
    const { media } = await api.upload(file);
    expect(media.url).toBe('http://x/api/media/1/file');
    const seen = server.seen[0];
    expect(seen.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen.body).toContain('name="file"; filename="cat.png"');
  });
});

describe('query', () => {
  it('drops empty values', () => {
    expect(query({ a: 1, b: '', c: undefined, d: null, e: 'x y' })).toBe('?a=1&e=x+y');
    expect(query({})).toBe('');
  });
});
