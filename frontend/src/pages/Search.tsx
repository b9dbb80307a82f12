import { useEffect, useState } from 'preact/hooks';
import { Article, SearchResult, api, errorMessages } from '../api';
import { ArticleMeta, ErrorList, FavoriteButton, Pagination, TagList } from '../components';
import { useRich, useTitle } from '../hooks';
import { SearchMode, navigate } from '../router';
import { PAGE_SIZE } from '../util';

const MODE_LABELS: Record<SearchMode, string> = { hybrid: 'Both', text: 'Words', semantic: 'Meaning' };

export function searchUrl(q: string, mode: SearchMode, tag: string, pageNo = 1): string {
  const p = new URLSearchParams();
  p.set('q', q);
  if (mode !== 'hybrid') p.set('mode', mode);
  if (tag) p.set('tag', tag);
  if (pageNo > 1) p.set('page', String(pageNo));
  return `/search?${p.toString()}`;
}

function Hit({ article, onChange }: { article: Article; onChange: (a: Article) => void }) {
  const rich = useRich();
  const h = article.highlights || {};
  return (
    <div class="article-preview search-hit">
      <ArticleMeta article={article}>
        <FavoriteButton article={article} onChange={onChange} compact />
      </ArticleMeta>
      <a href={`/article/${encodeURIComponent(article.slug)}`} class="preview-link">
        {h.title && rich ? <h1 dangerouslySetInnerHTML={{ __html: rich.renderHighlight(h.title) }} /> : <h1>{article.title}</h1>}
        {h.body && rich ? (
          <p class="search-snippet" dangerouslySetInnerHTML={{ __html: rich.renderHighlight(h.body) }} />
        ) : (
          <p>{article.description}</p>
        )}
        <span>
          Read more...{article.readingTime ? ` · ${article.readingTime} min read` : ''}
        </span>
        <TagList tags={article.tagList} />
      </a>
    </div>
  );
}

export function SearchPage({ q, mode, tag, pageNo }: { q: string; mode: SearchMode; tag: string; pageNo: number }) {
  useTitle(q ? `Search: ${q}` : 'Search');
  const [result, setResult] = useState<SearchResult | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [tags, setTags] = useState<string[]>([]);
  const [draft, setDraft] = useState(q);

  useEffect(() => setDraft(q), [q]);
  useEffect(() => {
    api.tags().then(setTags, () => setTags([]));
  }, []);
  useEffect(() => {
    if (!q.trim()) {
      setResult(null);
      return;
    }
    let live = true;
    setResult(null);
    setErrors([]);
    api.search({ q, mode, tag: tag || undefined, limit: PAGE_SIZE, offset: (pageNo - 1) * PAGE_SIZE }).then(
      r => live && setResult(r),
      e => {
        if (!live) return;
        setErrors(errorMessages(e));
        setResult({ articles: [], articlesCount: 0, mode, degraded: false });
      },
    );
    return () => {
      live = false;
    };
  }, [q, mode, tag, pageNo]);

  const update = (a: Article) =>
    setResult(r => (r ? { ...r, articles: r.articles.map(x => (x.slug === a.slug ? a : x)) } : r));

  return (
    <div class="search-page">
      <div class="container page">
        <div class="row">
          <div class="col-md-9">
            <form
              class="search-form"
              role="search"
              onSubmit={e => {
                e.preventDefault();
                if (draft.trim()) navigate(searchUrl(draft.trim(), mode, tag));
              }}
            >
              <input
                type="search"
                class="form-control form-control-lg"
                name="q"
                placeholder="Search articles"
                aria-label="Search articles"
                value={draft}
                maxLength={500}
                onInput={e => setDraft(e.currentTarget.value)}
              />
              <button type="submit" class="btn btn-lg btn-primary">
                Search
              </button>
            </form>
            <div class="feed-toggle search-modes">
              <ul class="nav nav-pills outline-active" aria-label="Search by">
                {(Object.keys(MODE_LABELS) as SearchMode[]).map(m => (
                  <li class="nav-item" key={m}>
                    <a class={`nav-link${m === mode ? ' active' : ''}`} href={searchUrl(q, m, tag)} aria-current={m === mode ? 'true' : undefined}>
                      {MODE_LABELS[m]}
                    </a>
                  </li>
                ))}
              </ul>
              <label class="search-tag">
                Tag{' '}
                <select value={tag} onChange={e => navigate(searchUrl(q, mode, e.currentTarget.value))}>
                  <option value="">any</option>
                  {(tag && !tags.includes(tag) ? [tag, ...tags] : tags).map(t => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <ErrorList errors={errors} />
            {!q.trim() ? (
              <div class="feed-status">Type a few words to search this site's articles.</div>
            ) : !result ? (
              <div class="feed-status" aria-busy="true">Searching...</div>
            ) : (
              <>
                {result.degraded && (
                  <div class="search-degraded" role="status">
                    Search by meaning is warming up: these results match your words only. Try again in a moment
                    for results by meaning.
                  </div>
                )}
                <p class="search-count" role="status">
                  {result.articlesCount === 1 ? '1 article' : `${result.articlesCount} articles`} found
                </p>
                {result.articles.length === 0 ? (
                  <div class="feed-status empty-feed-message">No articles match your search.</div>
                ) : (
                  result.articles.map(a => <Hit key={a.slug} article={a} onChange={update} />)
                )}
                <Pagination total={result.articlesCount} current={pageNo} />
              </>
            )}
          </div>
        </div>
      </div>
    </div>
  );
}
