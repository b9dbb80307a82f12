import { describe, expect, it } from 'vitest';
import { renderHighlight, renderMarkdown } from './markdown';

function dom(html: string) {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

describe('renderMarkdown', () => {
  it('renders markdown', () => {
    const d = dom(renderMarkdown('# Title\n\n- one\n\n[link](https://example.com) and ![cat](http://x/api/media/1/file)'));
    expect(d.querySelector('h1')?.textContent).toBe('Title');
    expect(d.querySelector('li')?.textContent).toBe('one');
    const a = d.querySelector('a')!;
    expect(a.getAttribute('href')).toBe('https://example.com');
    expect(a.getAttribute('rel')).toContain('noopener');
    expect(d.querySelector('img')?.getAttribute('src')).toBe('http://x/api/media/1/file');
  });

  it.each([
    '<script>window.__xss = 1</script>',
    '<img src=x onerror="window.__xss = 1">',
    '<svg onload="window.__xss = 1">',
    '<iframe srcdoc="<script>window.__xss = 1</script>"></iframe>',
    '<a href="javascript:window.__xss = 1">click me</a>',
    '[click](javascript:window.__xss=1)',
    '<div onmouseover="window.__xss = 1">hover me</div>',
    '<form action="javascript:x"><button formaction="javascript:x">go</button></form>',
    '<a href="data:text/html,<script>x</script>">d</a>',
    '<object data="x"></object><embed src="x"><style>body{display:none}</style>',
  ])('removes every executable part of %s', payload => {
    const html = renderMarkdown(`Before ${payload} After`);
    const d = dom(html);
    expect(d.querySelectorAll('script, iframe, svg, object, embed, form, style, button').length).toBe(0);
    for (const el of Array.from(d.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) {
        expect(attr.name.startsWith('on')).toBe(false);
        expect(attr.value.replace(/\s/g, '').toLowerCase()).not.toMatch(/^(javascript|data):/);
      }
    }
    expect(d.textContent).toContain('Before');
  });
});

describe('renderHighlight', () => {
  it('keeps <mark> and escaped text only', () => {
    const d = dom(renderHighlight('a <mark>bread</mark> &lt;b&gt; <img src=x onerror=alert(1)><b>bold</b>'));
    expect(d.querySelectorAll('mark').length).toBe(1);
    expect(d.querySelector('mark')?.textContent).toBe('bread');
    expect(d.querySelectorAll('img, b').length).toBe(0);
    expect(d.textContent).toContain('<b>');
  });
});
