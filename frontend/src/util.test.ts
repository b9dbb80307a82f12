import { describe, expect, it } from 'vitest';
import { DEFAULT_AVATAR, addTag, avatar, formatDate, imageMarkdown, insertAt, pageCount, pageWindow } from './util';

describe('avatar', () => {
  it('falls back to the default avatar for null, empty and unsafe values', () => {
    expect(avatar(null)).toBe(DEFAULT_AVATAR);
    expect(avatar('')).toBe(DEFAULT_AVATAR);
    expect(avatar('   ')).toBe(DEFAULT_AVATAR);
    expect(avatar('javascript:alert(1)')).toBe(DEFAULT_AVATAR);
    expect(avatar('data:text/html,<script>alert(1)</script>')).toBe(DEFAULT_AVATAR);
    expect(avatar('https://example.com/img.jpg"onerror="alert(1)')).toBe(DEFAULT_AVATAR);
    expect(avatar('//evil.example/x.png')).toBe(DEFAULT_AVATAR);
    expect(DEFAULT_AVATAR).toContain('default-avatar.svg');
  });
  it('keeps http(s) URLs and same-origin paths as they are', () => {
    expect(avatar('https://api.realworld.io/images/smiley-cyrus.jpeg')).toBe('https://api.realworld.io/images/smiley-cyrus.jpeg');
    expect(avatar('http://demo.localhost:8000/api/media/1/file')).toBe('http://demo.localhost:8000/api/media/1/file');
    expect(avatar('/api/media/1/file')).toBe('/api/media/1/file');
  });
});

describe('pagination', () => {
  it('counts pages of ten', () => {
    expect([0, 1, 10, 11, 15, 20, 21].map(n => pageCount(n))).toEqual([0, 1, 1, 2, 2, 2, 3]);
  });
  it('shows every page up to ten, else a window with gaps', () => {
    expect(pageWindow(1, 2)).toEqual([1, 2]);
    expect(pageWindow(3, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(pageWindow(1, 50)).toEqual([1, 2, 3, 0, 50]);
    expect(pageWindow(25, 50)).toEqual([1, 0, 23, 24, 25, 26, 27, 0, 50]);
    expect(pageWindow(50, 50)).toEqual([1, 0, 48, 49, 50]);
    expect(pageWindow(4, 50)).toEqual([1, 2, 3, 4, 5, 6, 0, 50]);
  });
});

describe('editor helpers', () => {
  it('adds trimmed, unique tags in order', () => {
    expect(addTag([], '  dragons ')).toEqual(['dragons']);
    const tags = ['a'];
    expect(addTag(tags, 'a')).toBe(tags);
    expect(addTag(tags, '   ')).toBe(tags);
    expect(addTag(tags, 'b')).toEqual(['a', 'b']);
  });
  it('inserts at the caret, replacing a selection, clamped to the text', () => {
    expect(insertAt('hello world', 6, 6, 'big ')).toEqual({ value: 'hello big world', caret: 10 });
    expect(insertAt('hello world', 0, 5, 'bye')).toEqual({ value: 'bye world', caret: 3 });
    expect(insertAt('abc', 99, 120, '!')).toEqual({ value: 'abc!', caret: 4 });
  });
  it('writes image markdown with a harmless alt text and an escaped URL', () => {
    expect(imageMarkdown('My cat.png', 'http://x/api/media/1/file')).toBe('![My cat](http://x/api/media/1/file)');
    expect(imageMarkdown('](javascript:x).png', 'http://x/a b(c)')).toBe('![javascript:x](http://x/a%20b%28c%29)');
    expect(imageMarkdown('.png', 'http://x/f')).toBe('![image](http://x/f)');
  });
});

describe('formatDate', () => {
  it('formats ISO dates in UTC and ignores garbage', () => {
    expect(formatDate('2026-01-20T23:30:00.000Z')).toBe('January 20, 2026');
    expect(formatDate('nope')).toBe('');
    expect(formatDate(null)).toBe('');
  });
});
