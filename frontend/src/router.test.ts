import { describe, expect, it } from 'vitest';
import { parseRoute, withPage } from './router';

describe('parseRoute', () => {
  it.each([
    ['/', '', { page: 'home', feed: 'global', pageNo: 1 }],
    ['/', '?feed=following&page=3', { page: 'home', feed: 'following', pageNo: 3 }],
    ['/', '?page=-2', { page: 'home', feed: 'global', pageNo: 1 }],
    ['/', '?page=abc', { page: 'home', feed: 'global', pageNo: 1 }],
    ['/tag/c%2B%2B', '?page=2', { page: 'home', feed: 'tag', tag: 'c++', pageNo: 2 }],
    ['/login', '', { page: 'login' }],
    ['/register/', '', { page: 'register' }],
    ['/settings', '', { page: 'settings' }],
    ['/editor', '', { page: 'editor' }],
    ['/editor/my-slug', '', { page: 'editor', slug: 'my-slug' }],
    ['/article/hello-world', '', { page: 'article', slug: 'hello-world' }],
    ['/profile/ann', '', { page: 'profile', username: 'ann', tab: 'articles', pageNo: 1 }],
    ['/profile/ann/favorites', '?page=2', { page: 'profile', username: 'ann', tab: 'favorites', pageNo: 2 }],
    ['/profile/ann/drafts', '', { page: 'profile', username: 'ann', tab: 'drafts', pageNo: 1 }],
    ['/search', '?q=bread&mode=semantic&tag=food&page=2', { page: 'search', q: 'bread', mode: 'semantic', tag: 'food', pageNo: 2 }],
    ['/search', '?q=x&mode=evil', { page: 'search', q: 'x', mode: 'hybrid', tag: '', pageNo: 1 }],
    ['/profile/ann/secrets', '', { page: 'notfound' }],
    ['/article/%E0%A4%A', '', { page: 'notfound' }],
    ['/nowhere', '', { page: 'notfound' }],
  ])('%s%s', (path, search, expected) => {
    expect(parseRoute(path, search)).toEqual(expected);
  });
});

describe('withPage', () => {
  it('sets, replaces and drops page=N, keeping other parameters', () => {
    expect(withPage('/tag/x', '', 2)).toBe('/tag/x?page=2');
    expect(withPage('/', '?feed=following', 2)).toBe('/?feed=following&page=2');
    expect(withPage('/', '?feed=following&page=4', 1)).toBe('/?feed=following');
    expect(withPage('/search', '?q=a&page=2', 3)).toBe('/search?q=a&page=3');
  });
});
