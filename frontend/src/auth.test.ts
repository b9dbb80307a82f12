import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { request } from './api';
import { TOKEN_KEY, _reset, getAuth, installDebug, restore, signIn, signOut } from './auth';
import { json, startServer } from './test/server';

let server: Awaited<ReturnType<typeof startServer>>;
let answer: [number, unknown] | 'garbage' = [200, {}];

beforeAll(async () => {
  server = await startServer((_req, res) => {
    if (answer === 'garbage') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end('{ nope');
    }
    json(res, answer[0], answer[1]);
  });
});
afterAll(() => server.close());
beforeEach(() => {
  _reset();
  localStorage.clear();
  server.seen.length = 0;
  vi.stubEnv('PUBLIC_API_URL', server.base);
});

const user = { username: 'ann', email: 'ann@x.io', bio: null, image: null, token: 'tok-1' };

describe('restore', () => {
  it('without a stored token is unauthenticated and asks nothing', async () => {
    expect(await restore(0)).toBe('unauthenticated');
    expect(server.seen).toHaveLength(0);
  });

  it('with a good token is authenticated and sends it', async () => {
    localStorage.setItem(TOKEN_KEY, 'tok-1');
    answer = [200, { user }];
    expect(await restore(0)).toBe('authenticated');
    expect(getAuth().user?.username).toBe('ann');
    expect(server.seen[0].headers.authorization).toBe('Token tok-1');
  });

  it.each([400, 401, 403, 404])('signs out on %i and drops the token', async status => {
    localStorage.setItem(TOKEN_KEY, 'bad');
    answer = [status, { errors: { token: ['is invalid'] } }];
    expect(await restore(0)).toBe('unauthenticated');
    expect(localStorage.getItem(TOKEN_KEY)).toBeNull();
  });

  it('keeps the token and is unavailable on a 5xx or an unreadable answer', async () => {
    localStorage.setItem(TOKEN_KEY, 'precious');
    answer = [503, undefined];
    expect(await restore(0)).toBe('unavailable');
    expect(localStorage.getItem(TOKEN_KEY)).toBe('precious');
    answer = 'garbage';
    expect(await restore(0)).toBe('unavailable');
    answer = [200, {}];
    expect(await restore(0)).toBe('unavailable');
    expect(localStorage.getItem(TOKEN_KEY)).toBe('precious');
  });

  it('keeps the token when the server is unreachable', async () => {
    vi.stubEnv('PUBLIC_API_URL', 'http://127.0.0.1:9/api');
    localStorage.setItem(TOKEN_KEY, 'precious');
    expect(await restore(0)).toBe('unavailable');
    expect(localStorage.getItem(TOKEN_KEY)).toBe('precious');
  });
});

describe('token use', () => {
  it('sends the token only while authenticated', async () => {
    answer = [200, {}];
    localStorage.setItem(TOKEN_KEY, 'unchecked');
    await request('GET', '/tags');
    expect(server.seen[0].headers.authorization).toBeUndefined();
    signIn(user);
    await request('GET', '/tags');
    expect(server.seen[1].headers.authorization).toBe('Token tok-1');
    signOut();
    await request('GET', '/tags');
    expect(server.seen[2].headers.authorization).toBeUndefined();
    expect(localStorage.getItem(TOKEN_KEY)).toBeNull();
  });
});

describe('window.__conduit_debug__', () => {
  it('exposes token, state and a copy of the user', () => {
    const target: Parameters<typeof installDebug>[0] = {};
    installDebug(target);
    const debug = target.__conduit_debug__!;
    expect(debug.getAuthState()).toBe('loading');
    expect(debug.getToken()).toBeNull();
    signIn(user);
    expect(debug.getAuthState()).toBe('authenticated');
    expect(debug.getToken()).toBe('tok-1');
    expect(debug.getCurrentUser()).toEqual(user);
    signOut();
    expect(debug.getCurrentUser()).toBeNull();
    expect(debug.getAuthState()).toBe('unauthenticated');
  });
});
