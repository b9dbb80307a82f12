// Markdown → sanitized HTML (loaded lazily: only the article and search pages need it).
// marked renders, DOMPurify removes every script, event handler, javascript:/data: URL, iframe, form and style.
import DOMPurify from 'dompurify';
import { marked } from 'marked';

const FORBID_TAGS = ['style', 'iframe', 'frame', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'svg', 'math', 'base', 'link', 'meta'];

let hooked = false;
function hook() {
  if (hooked) return;
  hooked = true;
  // Links written by authors open safely in a new tab.
  DOMPurify.addHook('afterSanitizeAttributes', node => {
    if (node.tagName === 'A' && node.getAttribute('href')) {
      const href = node.getAttribute('href') || '';
      if (/^https?:/i.test(href)) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
    }
    if (node.tagName === 'IMG') node.setAttribute('loading', 'lazy');
  });
}

export function renderMarkdown(source: string): string {
  hook();
  const html = marked.parse(source || '', { async: false, gfm: true, breaks: false }) as string;
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS,
    FORBID_ATTR: ['style', 'srcset', 'formaction', 'xlink:href'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|\/(?!\/)|#|[^:/?#]*(?:[/?#]|$))/i,
  });
}

/** Search highlights: the server escapes the text and wraps matches in <mark>; keep <mark> and text only. */
export function renderHighlight(html: string): string {
  return DOMPurify.sanitize(html || '', { ALLOWED_TAGS: ['mark'], ALLOWED_ATTR: [] });
}
