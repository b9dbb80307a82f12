import { APIRequestContext, Browser, Page, expect } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const BASE_URL = process.env.BASE_URL || '';
export const OTHER_URL = process.env.OTHER_URL || '';
export const PASSWORD = 'correct-horse-9';

let counter = 0;
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 6)}`;
}

export interface TestUser {
  username: string;
  email: string;
  password: string;
  token: string;
}

export function newUser(prefix = 'u') {
  const username = unique(prefix);
  return { username, email: `${username}@example.com`, password: PASSWORD };
}

/** Node does not resolve *.localhost as Chromium does: send API calls to 127.0.0.1 with the site's Host header. */
export function direct(base: string, path: string): { url: string; headers: Record<string, string> } {
  const u = new URL(path, base);
  if (u.hostname.endsWith('.localhost')) {
    const host = u.host;
    u.hostname = '127.0.0.1';
    return { url: u.toString(), headers: { Host: host } };
  }
  return { url: u.toString(), headers: {} };
}

async function ok<T>(response: Awaited<ReturnType<APIRequestContext['get']>>, what: string): Promise<T> {
  if (!response.ok()) throw new Error(`${what}: HTTP ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function apiRegister(request: APIRequestContext, base = BASE_URL, prefix = 'u'): Promise<TestUser> {
  const u = newUser(prefix);
  const { url, headers } = direct(base, '/api/users');
  const data = await ok<{ user: { token: string } }>(await request.post(url, { headers, data: { user: u } }), 'register');
  return { ...u, token: data.user.token };
}

export async function apiCall<T>(
  request: APIRequestContext,
  method: 'get' | 'post' | 'put' | 'delete',
  path: string,
  token?: string,
  data?: unknown,
  base = BASE_URL,
): Promise<T> {
  const { url, headers } = direct(base, path);
  if (token) headers.Authorization = `Token ${token}`;
  return ok<T>(await request[method](url, { headers, data }), `${method} ${path}`);
}

export interface ApiArticle {
  slug: string;
  title: string;
}

export async function apiArticle(
  request: APIRequestContext,
  token: string,
  article: { title: string; description?: string; body?: string; tagList?: string[]; status?: string },
  base = BASE_URL,
): Promise<ApiArticle> {
  const data = await apiCall<{ article: ApiArticle }>(
    request,
    'post',
    '/api/articles',
    token,
    { article: { description: 'A description', body: 'A body', tagList: [], ...article } },
    base,
  );
  return data.article;
}

/** Sign a page in with a token (the SPA reads `jwtToken` from localStorage on start). */
export async function signInWithToken(page: Page, token: string): Promise<void> {
  await page.goto('/login');
  await page.evaluate(t => localStorage.setItem('jwtToken', t), token);
}

export async function newSignedInPage(browser: Browser, token: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE_URL });
  const page = await context.newPage();
  await signInWithToken(page, token);
  return page;
}

/** Records every dialog (alert/confirm/prompt) a page opens: an XSS payload would open one. */
export function watchDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', async d => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  return dialogs;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.SCREENSHOT_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(dir, name), fullPage: false });
}

/** Poll `check` until it returns a value (not undefined), or fail after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ''}`);
}

/** A 1×1 PNG (real image bytes: the server judges media by content). */
export const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

export async function expectNoXss(page: Page, dialogs: string[]): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
}
