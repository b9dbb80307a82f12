import { useEffect, useState } from 'preact/hooks';
import { Article, ArticleList, Profile, api, errorMessages } from './api';
import { getAuth } from './auth';
import { navigate, withPage } from './router';
import { PAGE_SIZE, avatar, formatDate, pageCount, pageWindow } from './util';

export function ErrorList({ errors }: { errors: string[] }) {
  if (!errors.length) return null;
  return (
    <ul class="error-messages" aria-live="assertive">
      {errors.map((e, i) => (
        <li key={i}>{e}</li>
      ))}
    </ul>
  );
}

export function Avatar({ image, cls, alt = '' }: { image: string | null | undefined; cls?: string; alt?: string }) {
  return <img src={avatar(image)} class={cls} alt={alt} width={32} height={32} />;
}

function requireLogin(): boolean {
  if (getAuth().state !== 'authenticated') {
    navigate('/login');
    return false;
  }
  return true;
}

export function FollowButton({ profile, onChange }: { profile: Profile; onChange: (p: Profile) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string[]>([]);
  const click = async () => {
    if (!requireLogin() || busy) return;
    setBusy(true);
    setError([]);
    try {
      const { profile: next } = await api.follow(profile.username, !profile.following);
      onChange({ ...profile, following: next ? next.following : !profile.following });
    } catch (e) {
      setError(errorMessages(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        class={`btn btn-sm action-btn ${profile.following ? 'btn-secondary' : 'btn-outline-secondary'}`}
        disabled={busy}
        onClick={click}
      >
        <i class="ion-plus-round" aria-hidden="true" />
        &nbsp; {profile.following ? 'Unfollow' : 'Follow'} {profile.username}
      </button>
      {error.length > 0 && <span class="inline-error" role="alert">{error[0]}</span>}
    </>
  );
}

export function FavoriteButton({
  article,
  onChange,
  compact,
}: {
  article: Article;
  onChange: (a: Article) => void;
  compact?: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const click = async () => {
    if (!requireLogin() || busy) return;
    setBusy(true);
    try {
      const { article: next } = await api.favorite(article.slug, !article.favorited);
      onChange(next && typeof next.favorited === 'boolean' ? { ...article, favorited: next.favorited, favoritesCount: next.favoritesCount } : article);
    } catch {
      // the button keeps its state; nothing changed on the server
    } finally {
      setBusy(false);
    }
  };
  const cls = `btn btn-sm ${article.favorited ? 'btn-primary' : 'btn-outline-primary'}`;
  if (compact) {
    return (
      <button
        type="button"
        class={`${cls} pull-xs-right`}
        onClick={click}
        disabled={busy}
        aria-label={`${article.favorited ? 'Unfavorite' : 'Favorite'} article, ${article.favoritesCount} favorites`}
        aria-pressed={article.favorited}
      >
        <i class="ion-heart" aria-hidden="true" /> {article.favoritesCount}
      </button>
    );
  }
  return (
    <button type="button" class={cls} onClick={click} disabled={busy}>
      <i class="ion-heart" aria-hidden="true" />
      &nbsp; {article.favorited ? 'Unfavorite' : 'Favorite'} Article <span class="counter">({article.favoritesCount})</span>
    </button>
  );
}

export function ArticleMeta({ article, children }: { article: Article; children?: preact.ComponentChildren }) {
  const profileHref = `/profile/${encodeURIComponent(article.author.username)}`;
  return (
    <div class="article-meta">
      <a href={profileHref} tabIndex={-1} aria-hidden="true">
        <Avatar image={article.author.image} />
      </a>
      <div class="info">
        <a href={profileHref} class="author">
          {article.author.username}
        </a>
        <span class="date">{formatDate(article.publishedAt || article.createdAt)}</span>
      </div>
      {children}
    </div>
  );
}

export function TagList({ tags, outline = true }: { tags: string[]; outline?: boolean }) {
  if (!tags.length) return null;
  return (
    <ul class="tag-list">
      {tags.map(t => (
        <li key={t} class={`tag-default tag-pill${outline ? ' tag-outline' : ''}`}>
          {t}
        </li>
      ))}
    </ul>
  );
}

export function ArticlePreview({ article, onChange }: { article: Article; onChange: (a: Article) => void }) {
  return (
    <div class="article-preview">
      <ArticleMeta article={article}>
        {article.status === 'draft' ? (
          <span class="draft-badge pull-xs-right">Draft</span>
        ) : (
          <FavoriteButton article={article} onChange={onChange} compact />
        )}
      </ArticleMeta>
      <a href={`/article/${encodeURIComponent(article.slug)}`} class="preview-link">
        <h1>{article.title}</h1>
        <p>{article.description}</p>
        <span>Read more...</span>
        <TagList tags={article.tagList} />
      </a>
    </div>
  );
}

export function Pagination({ total, current }: { total: number; current: number }) {
  const pages = pageCount(total, PAGE_SIZE);
  if (pages <= 1) return null;
  return (
    <nav aria-label="Pages">
      <ul class="pagination">
        {pageWindow(current, pages).map((p, i) =>
          p === 0 ? (
            <li key={`gap${i}`} class="page-item disabled">
              <span class="page-link">…</span>
            </li>
          ) : (
            <li key={p} class={`page-item${p === current ? ' active' : ''}`}>
              <button
                type="button"
                class="page-link"
                aria-current={p === current ? 'page' : undefined}
                aria-label={`Page ${p}`}
                onClick={() => navigate(withPage(location.pathname, location.search, p))}
              >
                {p}
              </button>
            </li>
          ),
        )}
      </ul>
    </nav>
  );
}

export type Loader = (offset: number, limit: number) => Promise<ArticleList>;

/** A page of articles from `load`, keyed by `loadKey`; renders previews, the empty message and pagination. */
export function ArticleFeed({
  load,
  loadKey,
  pageNo,
  empty,
}: {
  load: Loader | null;
  loadKey: string;
  pageNo: number;
  empty: preact.ComponentChildren;
}) {
  const [data, setData] = useState<ArticleList | null>(null);
  const [error, setError] = useState<string[]>([]);
  useEffect(() => {
    if (!load) return;
    let live = true;
    setData(null);
    setError([]);
    load((pageNo - 1) * PAGE_SIZE, PAGE_SIZE).then(
      d => live && setData(d),
      e => {
        if (!live) return;
        setError(errorMessages(e));
        setData({ articles: [], articlesCount: 0 });
      },
    );
    return () => {
      live = false;
    };
  }, [loadKey, pageNo, load !== null]);

  if (!data) {
    return <div class="feed-status" aria-busy="true">Loading articles...</div>;
  }
  const update = (a: Article) =>
    setData(d => (d ? { ...d, articles: d.articles.map(x => (x.slug === a.slug ? a : x)) } : d));
  return (
    <>
      {error.length > 0 && <ErrorList errors={error} />}
      {data.articles.length === 0 ? (
        <div class="feed-status empty-feed-message">{empty}</div>
      ) : (
        data.articles.map(a => <ArticlePreview key={a.slug} article={a} onChange={update} />)
      )}
      <Pagination total={data.articlesCount} current={pageNo} />
    </>
  );
}
