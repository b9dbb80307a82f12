// The reader and writer journeys of the Conduit Frontend, against a live stack (BASE_URL).
import { expect, test } from '@playwright/test';
import {
  BASE_URL,
  PNG_1x1,
  apiArticle,
  apiCall,
  apiRegister,
  newSignedInPage,
  newUser,
  screenshot,
  signInWithToken,
  unique,
} from './helpers';

test.beforeAll(() => {
  if (!BASE_URL) throw new Error('BASE_URL is not set: the specs run against a live Conduit site');
});

test('register, settings with an uploaded avatar, log out, log in', async ({ page }) => {
  const user = newUser('reg');
  await page.goto('/register');
  await expect(page.locator('h1')).toHaveText('Sign up');
  await page.fill('input[name="username"]', user.username);
  await page.fill('input[name="email"]', user.email);
  await page.fill('input[name="password"]', user.password);
  await page.click('button[type="submit"]');
  await expect(page).toHaveURL('/');
  const profileLink = page.locator(`nav a[href="/profile/${user.username}"]`);
  await expect(profileLink).toBeVisible();
  await expect(page.locator('nav .user-pic')).toHaveAttribute('src', /default-avatar\.svg$/);
  expect(await page.evaluate(() => localStorage.getItem('jwtToken'))).toBeTruthy();
  expect(await page.evaluate(() => (window as any).__conduit_debug__.getAuthState())).toBe('authenticated');

  // settings: a bio, and an avatar uploaded through /api/media
  await page.click('a[href="/settings"]');
  await expect(page.locator('input[name="username"]')).toHaveValue(user.username);
  await expect(page.locator('input[name="image"]')).toHaveValue('');
  await expect(page.locator('textarea[name="bio"]')).toHaveValue('');
  await page.setInputFiles('.settings-page input[type="file"]', { name: 'me.png', mimeType: 'image/png', buffer: PNG_1x1 });
  await expect(page.locator('input[name="image"]')).toHaveValue(/\/api\/media\/[0-9a-f-]+\/file$/);
  const bio = `I write about bread ${unique('')}`;
  await page.fill('textarea[name="bio"]', bio);
  await page.click('button:has-text("Update Settings")');
  await expect(page).toHaveURL(`/profile/${user.username}`);
  await expect(page.locator('.user-info p')).toHaveText(bio);
  const avatar = page.locator('.user-info .user-img');
  await expect(avatar).toHaveAttribute('src', /\/api\/media\/.+\/file$/);
  await expect.poll(() => avatar.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
  await expect(page.locator('a[href="/settings"]').filter({ hasText: 'Edit Profile Settings' })).toBeVisible();

  // log out, then back in
  await page.goto('/settings');
  await page.click('button:has-text("Or click here to logout")');
  await expect(page).toHaveURL('/');
  await expect(page.locator('nav a[href="/login"]')).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('jwtToken'))).toBeNull();
  await page.goto('/settings');
  await expect(page).toHaveURL('/login'); // guarded

  await page.fill('input[name="email"]', user.email);
  await page.fill('input[name="password"]', 'wrong-password-1');
  await page.click('button[type="submit"]');
  await expect(page.locator('.error-messages li').first()).toBeVisible();
  await expect(page).toHaveURL('/login');
  await page.fill('input[name="password"]', user.password);
  await page.click('button[type="submit"]');
  await expect(page).toHaveURL('/');
  await expect(profileLink).toBeVisible();
  await page.reload();
  await expect(profileLink).toBeVisible();
});

test('write with tags and an uploaded image, publish, edit, comment, favorite, follow, feeds', async ({ page, browser, request }) => {
  const author = await apiRegister(request, BASE_URL, 'author');
  const reader = await apiRegister(request, BASE_URL, 'reader');
  const tag = unique('tag');
  const title = `Sourdough at home ${unique('')}`;

  // the author writes in the editor: tags, an uploaded image inserted into the body, then publishes
  await signInWithToken(page, author.token);
  await page.goto('/editor');
  await page.fill('input[name="title"]', title);
  await page.fill('input[name="description"]', 'Flour, water, salt and time');
  await page.fill('textarea[name="body"]', '## Starter\n\nFeed it **twice** a day.\n');
  await page.fill('input[placeholder="Enter tags"]', tag);
  await page.press('input[placeholder="Enter tags"]', 'Enter');
  await page.fill('input[placeholder="Enter tags"]', 'baking');
  await page.press('input[placeholder="Enter tags"]', 'Enter');
  await page.fill('input[placeholder="Enter tags"]', 'oops');
  await page.press('input[placeholder="Enter tags"]', 'Enter');
  await page.locator('.tag-list .tag-pill', { hasText: 'oops' }).locator('i').click();
  await expect(page.locator('.editor-page .tag-list .tag-pill')).toHaveCount(2);
  await page.setInputFiles('.editor-page input[type="file"]', { name: 'crumb.png', mimeType: 'image/png', buffer: PNG_1x1 });
  await expect(page.locator('textarea[name="body"]')).toHaveValue(/!\[crumb\]\(http[^)]+\/api\/media\/[0-9a-f-]+\/file\)/);
  await Promise.all([page.waitForURL(/\/article\/.+/), page.click('button:has-text("Publish Article")')]);

  await expect(page.locator('h1')).toHaveText(title);
  await expect(page.locator('.article-content h2')).toHaveText('Starter');
  await expect(page.locator('.article-content strong')).toHaveText('twice');
  const image = page.locator('.article-content img');
  await expect(image).toHaveAttribute('src', /\/api\/media\/.+\/file$/);
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
  await expect(page.locator(`.article-content .tag-list .tag-default:has-text("${tag}")`)).toBeVisible();
  await expect(page.locator('.article-content .tag-list .tag-default')).toHaveCount(2);
  await expect(page.locator('.article-meta img').first()).toHaveAttribute('src', /default-avatar\.svg$/);

  // edit: a new title gives a new slug
  const slug1 = page.url().split('/article/')[1];
  await page.locator('a:has-text("Edit Article")').first().click();
  await expect(page.locator('input[name="title"]')).toHaveValue(title);
  const edited = `${title} (revised)`;
  await page.fill('input[name="title"]', edited);
  await Promise.all([page.waitForURL(url => !url.pathname.startsWith('/editor')), page.click('button:has-text("Publish Article")')]);
  await expect(page.locator('h1')).toHaveText(edited);
  const slug = page.url().split('/article/')[1];
  expect(slug).toBeTruthy();
  void slug1;

  // comment, and delete a second one
  await page.fill('textarea[placeholder="Write a comment..."]', 'Proof overnight in the fridge.');
  await page.click('button:has-text("Post Comment")');
  await expect(page.locator('.card:not(.comment-form) .card-block')).toHaveText(['Proof overnight in the fridge.']);
  await expect(page.locator('textarea[placeholder="Write a comment..."]')).toHaveValue('');
  await page.fill('textarea[placeholder="Write a comment..."]', 'Typo comment');
  await page.click('button:has-text("Post Comment")');
  await expect(page.locator('.card:not(.comment-form)')).toHaveCount(2);
  await page.locator('.card', { hasText: 'Typo comment' }).locator('.mod-options i.ion-trash-a').click();
  await expect(page.locator('.card:not(.comment-form)')).toHaveCount(1);
  await page.reload();
  await expect(page.locator('.card:not(.comment-form) .card-block')).toHaveText(['Proof overnight in the fridge.']);
  await screenshot(page, 'article.png');

  // a reader favorites the article and follows its author from the article page
  const other = await newSignedInPage(browser, reader.token);
  await other.goto(`/article/${slug}`);
  await expect(other.locator('a:has-text("Edit Article")')).toHaveCount(0);
  await expect(other.locator('button:has-text("Delete Article")')).toHaveCount(0);
  await other.locator('button.btn-outline-primary:has-text("Favorite Article")').first().click();
  await expect(other.locator('button.btn-primary:has-text("Unfavorite Article")').first()).toContainText('(1)');
  await other.locator(`button:has-text("Follow ${author.username}")`).first().click();
  await expect(other.locator(`button:has-text("Unfollow ${author.username}")`).first()).toBeVisible();
  await other.reload();
  await expect(other.locator('button:has-text("Unfavorite Article")').first()).toBeVisible();
  await expect(other.locator(`button:has-text("Unfollow ${author.username}")`).first()).toBeVisible();

  // your feed, tag feed, favorited tab
  await other.goto('/');
  await other.click('.nav-link:has-text("Your Feed")');
  await expect(other).toHaveURL('/?feed=following');
  await expect(other.locator('.nav-link:has-text("Your Feed")')).toHaveClass(/active/);
  await expect(other.locator('.article-preview h1').first()).toHaveText(edited);
  await other.goto('/');
  await other.locator(`.sidebar .tag-list .tag-pill:has-text("${tag}")`).click();
  await expect(other).toHaveURL(`/tag/${tag}`);
  await expect(other.locator(`.nav-link:has-text("${tag}")`)).toHaveClass(/active/);
  await expect(other.locator('.article-preview h1')).toHaveText([edited]);
  await other.goto(`/profile/${reader.username}`);
  await other.click('a:has-text("Favorited")');
  await expect(other).toHaveURL(`/profile/${reader.username}/favorites`);
  await expect(other.locator('.article-preview h1')).toHaveText([edited]);

  // unfollow from the author's profile: Your Feed is empty again
  await other.goto(`/profile/${author.username}`);
  await other.click(`button:has-text("Unfollow ${author.username}")`);
  await expect(other.locator(`button:has-text("Follow ${author.username}")`)).toBeVisible();
  await other.goto('/?feed=following');
  await expect(other.locator('.empty-feed-message')).toContainText('Your feed is empty');
  await other.context().close();

  // the author deletes the article
  await page.click('button:has-text("Delete Article")');
  await expect(page).toHaveURL('/');
  await page.goto(`/article/${slug}`);
  await expect(page.locator('.article-page .error-messages')).toBeVisible();
});

test('pagination: ten per page, ?page=N in the URL', async ({ page, request }) => {
  const author = await apiRegister(request, BASE_URL, 'pager');
  const tag = unique('pag');
  for (let i = 0; i < 12; i++) await apiArticle(request, author.token, { title: `Page test ${tag} ${i}`, tagList: [tag] });
  await page.goto(`/tag/${tag}`);
  await expect(page.locator('.article-preview')).toHaveCount(10);
  await expect(page.locator('.article-preview h1').first()).toHaveText(`Page test ${tag} 11`); // newest first
  await expect(page.locator('.pagination .page-item.active')).toHaveText('1');
  await page.click('.pagination button:has-text("2")');
  await expect(page).toHaveURL(`/tag/${tag}?page=2`);
  await expect(page.locator('.article-preview')).toHaveCount(2);
  await expect(page.locator('.pagination .page-item:has(button:has-text("2"))')).toHaveClass(/active/);
  await page.goto(`/tag/${tag}?page=2`);
  await expect(page.locator('.article-preview h1')).toHaveText([`Page test ${tag} 1`, `Page test ${tag} 0`]);
  await page.goBack();
  await expect(page.locator('.article-preview')).toHaveCount(10);
  await page.goto(`/profile/${author.username}?page=2`);
  await expect(page.locator('.article-preview')).toHaveCount(2);
});

test('drafts: saved from the editor, listed on the author\'s profile only, then published', async ({ page, browser, request }) => {
  const author = await apiRegister(request, BASE_URL, 'drafter');
  const stranger = await apiRegister(request, BASE_URL, 'stranger');
  const title = `Half-baked ideas ${unique('')}`;
  await signInWithToken(page, author.token);
  await page.goto('/editor');
  await page.fill('input[name="title"]', title);
  await page.fill('input[name="description"]', 'Not ready yet');
  await page.fill('textarea[name="body"]', 'Work in progress');
  await Promise.all([page.waitForURL(/\/article\/.+/), page.click('button:has-text("Save Draft")')]);
  const slug = page.url().split('/article/')[1];
  await expect(page.locator('h1')).toHaveText(title);
  await expect(page.locator('.draft-note')).toContainText('only you can see');

  await page.goto(`/profile/${author.username}`);
  await expect(page.locator('.empty-feed-message')).toBeVisible(); // not among published articles
  await page.click('a:has-text("My Drafts")');
  await expect(page).toHaveURL(`/profile/${author.username}/drafts`);
  await expect(page.locator('.article-preview h1')).toHaveText([title]);
  await expect(page.locator('.article-preview .draft-badge')).toHaveText('Draft');

  const other = await newSignedInPage(browser, stranger.token);
  await other.goto(`/profile/${author.username}`);
  await expect(other.locator('.user-info h4')).toHaveText(author.username);
  await expect(other.locator('a:has-text("My Drafts")')).toHaveCount(0);
  await other.goto(`/profile/${author.username}/drafts`);
  await expect(other.locator('.empty-feed-message')).toContainText('author only');
  await other.goto(`/article/${slug}`);
  await expect(other.locator('.article-page .error-messages')).toBeVisible();
  await other.goto('/');
  await expect(other.locator('.article-preview').first()).toBeVisible();
  await expect(other.locator(`.article-preview h1:has-text("${title}")`)).toHaveCount(0);

  // publish it from the editor
  await page.goto(`/editor/${slug}`);
  await expect(page.locator('input[name="title"]')).toHaveValue(title);
  await Promise.all([page.waitForURL(url => !url.pathname.startsWith('/editor')), page.click('button:has-text("Publish Article")')]);
  await expect(page.locator('.draft-note')).toHaveCount(0);
  await other.goto('/');
  await expect(other.locator(`.article-preview h1:has-text("${title}")`)).toBeVisible();
  await other.context().close();
  const drafts = await apiCall<{ articles: unknown[] }>(request, 'get', '/api/user/drafts', author.token);
  expect(drafts.articles).toEqual([]);
});
