// Conduit's own features (search, related articles, link previews), XSS attempts, and tenant isolation.
import { expect, test } from '@playwright/test';
import {
  BASE_URL,
  OTHER_URL,
  apiArticle,
  apiCall,
  apiRegister,
  direct,
  eventually,
  expectNoXss,
  screenshot,
  signInWithToken,
  unique,
  watchDialogs,
} from './helpers';

interface Hit {
  slug: string;
  title: string;
  highlights?: { title?: string; body?: string };
}
interface SearchAnswer {
  articles: Hit[];
  articlesCount: number;
  degraded: boolean;
  mode: string;
}

test('search from the navbar: highlights, mode switch, tag filter, pagination, degraded notice; related articles', async ({ page, request }) => {
  test.setTimeout(240_000); // on a fresh stack the worker loads the embedding model before related articles exist
  const author = await apiRegister(request, BASE_URL, 'searcher');
  const word = unique('zq').toLowerCase(); // a word no other article has
  const tag = unique('bake');
  const made: string[] = [];
  for (let i = 0; i < 11; i++) {
    const a = await apiArticle(request, author.token, {
      title: `Rye loaf ${word} number ${i}`,
      description: `Crumb notes ${i}`,
      body: `Sourdough rye bread with caraway: ${word} keeps the crumb soft.`,
      tagList: i < 3 ? [tag] : [],
    });
    made.push(a.slug);
  }
  // the worker indexes asynchronously: poll the API until all are searchable by words
  await eventually(
    async () => {
      const r = await apiCall<SearchAnswer>(request, 'get', `/api/search?q=${word}&mode=text`);
      return r.articlesCount >= 11 ? r : undefined;
    },
    60_000,
    'the worker to index the articles',
  );

  await page.goto('/');
  await expect(page.locator('.article-preview h1').first()).toContainText(word);
  await screenshot(page, 'home.png');
  const box = page.locator('nav input[type="search"]');
  await box.fill(word);
  await box.press('Enter');
  await expect(page).toHaveURL(`/search?q=${word}`);
  // hybrid (the default): our 11 articles by words, plus any neighbours by meaning once the model is loaded
  await expect(page.locator('.search-hit')).toHaveCount(10);
  const found = Number((await page.locator('.search-count').innerText()).match(/(\d+) articles? found/)?.[1]);
  expect(found).toBeGreaterThanOrEqual(11);
  await expect(page.locator('.search-hit h1 mark').first()).toHaveText(new RegExp(word, 'i'));
  const hybrid = await apiCall<SearchAnswer>(request, 'get', `/api/search?q=${word}`);
  // the notice shows exactly when the API says the answer is by words only
  await expect(page.locator('.search-degraded')).toHaveCount(hybrid.degraded ? 1 : 0);
  await screenshot(page, 'search.png');

  // by words only: exactly our 11, ten per page
  await page.click('.search-modes .nav-link:has-text("Words")');
  await expect(page).toHaveURL(`/search?q=${word}&mode=text`);
  await expect(page.locator('.search-modes .nav-link.active')).toHaveText('Words');
  await expect(page.locator('.search-count')).toHaveText('11 articles found');
  await expect(page.locator('.search-hit')).toHaveCount(10);
  await expect(page.locator('.search-degraded')).toHaveCount(0);
  await page.click('.pagination button:has-text("2")');
  await expect(page).toHaveURL(`/search?q=${word}&mode=text&page=2`);
  await expect(page.locator('.search-hit')).toHaveCount(1);
  await expect(page.locator('.search-hit h1')).toContainText(word);

  await page.selectOption('.search-tag select', tag);
  await expect(page).toHaveURL(`/search?q=${word}&mode=text&tag=${tag}`);
  await expect(page.locator('.search-hit')).toHaveCount(3);
  await expect(page.locator('.search-hit .tag-list')).toHaveText([tag, tag, tag]);

  await page.goto(`/search?q=${unique('nothinglike')}&mode=text`);
  await expect(page.locator('.empty-feed-message')).toContainText('No articles match');

  // related articles: shown under the article once the worker embedded it (meaning)
  const related = await eventually(
    async () => {
      const r = await apiCall<{ articles: Hit[]; degraded: boolean }>(request, 'get', `/api/articles/${made[0]}/related?limit=5`);
      return r.articles.length > 0 ? r : undefined;
    },
    120_000,
    'related articles (the worker embeds in the background)',
  );
  await page.goto(`/article/${made[0]}`);
  const links = page.locator('.related-articles .related-link');
  await expect(links.first()).toBeVisible();
  await expect(links).toHaveCount(related.articles.length);
  await expect(links.first()).toHaveText(related.articles[0].title);
  await expect(page.locator(".related-articles")).not.toContainText(`Rye loaf ${word} number 0`); // never itself
  await links.first().click();
  await expect(page).toHaveURL(`/article/${related.articles[0].slug}`);
  await expect(page.locator('h1')).toHaveText(related.articles[0].title);
});

test('link previews: /article/<slug> and /profile/<name> carry title and Open Graph tags in the raw HTML', async ({ request }) => {
  const author = await apiRegister(request, BASE_URL, 'previewer');
  const title = `Bread & butter <b>${unique('')}</b>`;
  const article = await apiArticle(request, author.token, { title, description: 'Why "crumb" matters' });
  const draft = await apiArticle(request, author.token, { title: `Secret ${unique('')}`, status: 'draft' });
  const get = async (path: string) => {
    const { url, headers } = direct(BASE_URL, path);
    const r = await request.get(url, { headers });
    expect(r.status()).toBe(200);
    return r.text();
  };
  const escaped = title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const html = await get(`/article/${article.slug}`);
  expect(html).toContain(`<meta property="og:title" content="${escaped}`);
  expect(html).toContain(`<title>${escaped}`);
  expect(html).toMatch(/<meta property="og:description" content="Why (&quot;|&#x27;|&#34;)crumb/);
  expect(html).not.toContain('<b>');
  expect(html).toContain('id="app"');
  const plain = await get(`/article/${draft.slug}`);
  expect(plain).not.toContain('og:title');
  expect(plain).not.toContain('Secret');
  expect(await get(`/profile/${author.username}`)).toContain(`<meta property="og:title" content="${author.username}`);
});

test('XSS attempts in a title, body, description, bio, comment, tag and image never run', async ({ page, request }) => {
  const dialogs = watchDialogs(page);
  const payload = (where: string) =>
    `${where} <img src=x onerror="window.__xss='${where}';alert(1)"><script>window.__xss='${where}'</script>`;
  const attacker = await apiRegister(request, BASE_URL, 'mallory');
  await apiCall(request, 'put', '/api/user', attacker.token, {
    user: { bio: payload('bio'), image: 'https://example.com/a.png"onerror="window.__xss=1' },
  });
  const tag = `<img src=x onerror=window.__xss=1>${unique('')}`;
  const article = await apiArticle(request, attacker.token, {
    title: payload('title'),
    description: payload('description'),
    body: [
      payload('body'),
      '<svg onload="window.__xss=1">',
      '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
      '<a href="javascript:window.__xss=1">click me</a>',
      '[md link](javascript:window.__xss=1)',
      '<div onmouseover="window.__xss=1">hover me</div>',
    ].join('\n\n'),
    tagList: [tag],
  });
  await apiCall(request, 'post', `/api/articles/${article.slug}/comments`, attacker.token, { comment: { body: payload('comment') } });

  // a reader (signed in: comment form, navbar) walks every page that shows the attacker's strings
  const reader = await apiRegister(request, BASE_URL, 'victim');
  await signInWithToken(page, reader.token);
  await page.goto(`/article/${article.slug}`);
  await expect(page.locator('h1')).toContainText('title <img src=x onerror=');
  await expect(page.locator('.card:not(.comment-form) .card-block')).toContainText('comment <img src=x');
  const content = page.locator('.article-content');
  await expect(content).toContainText('hover me');
  expect(await content.locator('script, iframe, svg, [onerror], [onload], [onmouseover]').count()).toBe(0);
  expect(await content.locator('a[href^="javascript"]').count()).toBe(0);
  await page.hover('text=hover me');
  await page.click('text=click me');
  await page.click('text=md link');
  await expect(page.locator(`.article-content .tag-list .tag-default`)).toContainText('<img src=x onerror=');
  await page.goto(`/profile/${attacker.username}`);
  await expect(page.locator('.user-info p')).toContainText('bio <img src=x');
  await expect(page.locator('.user-info .user-img')).toHaveAttribute('src', /default-avatar\.svg$/);
  await expect(page.locator('.article-preview p')).toContainText('description <img');
  await page.goto(`/tag/${encodeURIComponent(tag)}`);
  await expect(page.locator('.article-preview')).toHaveCount(1);
  await page.goto('/');
  await expect(page.locator('.article-preview').first()).toBeVisible();
  await eventually(
    async () => {
      const r = await apiCall<SearchAnswer>(request, 'get', `/api/search?q=onerror&mode=text`);
      return r.articles.some(a => a.slug === article.slug) ? true : undefined;
    },
    60_000,
    'the attacker article to be indexed',
  );
  await page.goto('/search?q=onerror+title&mode=text');
  await expect(page.locator('.search-hit').first()).toBeVisible();
  expect(await page.locator('.search-hit img:not(.article-meta img), .search-hit script').count()).toBe(0);
  await page.waitForTimeout(300);
  await expectNoXss(page, dialogs);
});

test('a second tenant sees none of it', async ({ browser, request }) => {
  test.skip(!OTHER_URL, 'OTHER_URL is not set');
  const author = await apiRegister(request, BASE_URL, 'tenantone');
  const title = `Only on the first site ${unique('')}`;
  const article = await apiArticle(request, author.token, { title, tagList: ['isolation'] });

  const context = await browser.newContext({ baseURL: OTHER_URL });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.locator('.feed-toggle')).toBeVisible();
  await expect(page.locator('.feed-status, .article-preview').first()).toBeVisible();
  await expect(page.locator(`.article-preview h1:has-text("${title}")`)).toHaveCount(0);
  await expect(page.locator('.sidebar')).not.toContainText('isolation');
  await page.goto(`/article/${article.slug}`);
  await expect(page.locator('.article-page .error-messages')).toBeVisible();
  await page.goto(`/profile/${author.username}`);
  await expect(page.locator('.profile-page .error-messages')).toBeVisible();
  await page.goto('/login');
  await page.fill('input[name="email"]', author.email);
  await page.fill('input[name="password"]', author.password);
  await page.click('button[type="submit"]');
  await expect(page.locator('.error-messages')).toBeVisible();
  await expect(page).toHaveURL('/login');
  // the first site's token is refused by the second site: signed out, token dropped
  await page.evaluate(t => localStorage.setItem('jwtToken', t), author.token);
  await page.reload();
  await expect(page.locator('nav a[href="/login"]')).toBeVisible();
  // the nav shows "Sign in" while the start-up check of the token is still in flight: wait for its answer (401)
  await expect.poll(() => page.evaluate(() => localStorage.getItem('jwtToken')), { timeout: 20_000 }).toBeNull();
  await page.goto(`/search?q=${encodeURIComponent(title)}&mode=text`);
  await expect(page.locator('.empty-feed-message')).toBeVisible();
  await context.close();
});
