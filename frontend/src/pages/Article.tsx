import { useEffect, useState } from 'preact/hooks';
import { Article, Comment, Profile, api, errorMessages } from '../api';
import { ArticleMeta, Avatar, ErrorList, FavoriteButton, FollowButton, TagList } from '../components';
import { useAuth, useRich, useTitle } from '../hooks';
import { navigate } from '../router';
import { formatDate } from '../util';

function Actions({
  article,
  mine,
  onArticle,
  onDelete,
  deleting,
}: {
  article: Article;
  mine: boolean;
  onArticle: (a: Article) => void;
  onDelete: () => void;
  deleting: boolean;
}) {
  if (mine) {
    return (
      <span class="article-buttons">
        <a class="btn btn-sm btn-outline-secondary" href={`/editor/${encodeURIComponent(article.slug)}`}>
          <i class="ion-edit" aria-hidden="true" /> Edit Article
        </a>{' '}
        <button type="button" class="btn btn-sm btn-outline-danger" onClick={onDelete} disabled={deleting}>
          <i class="ion-trash-a" aria-hidden="true" /> Delete Article
        </button>
      </span>
    );
  }
  const setAuthor = (author: Profile) => onArticle({ ...article, author });
  return (
    <span class="article-buttons">
      <FollowButton profile={article.author} onChange={setAuthor} />
      &nbsp;&nbsp;
      <FavoriteButton article={article} onChange={onArticle} />
    </span>
  );
}

function Comments({ slug, articleAuthor }: { slug: string; articleAuthor: string }) {
  const auth = useAuth();
  const [comments, setComments] = useState<Comment[] | null>(null);
  const [body, setBody] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [listErrors, setListErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (auth.state === 'loading') return;
    let live = true;
    api.comments(slug).then(
      c => live && setComments(c),
      e => {
        if (!live) return;
        setComments([]);
        setListErrors(errorMessages(e));
      },
    );
    return () => {
      live = false;
    };
  }, [slug, auth.state]);

  const post = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!body.trim()) return setErrors(["comment can't be blank"]);
    setBusy(true);
    setErrors([]);
    try {
      const { comment } = await api.addComment(slug, body);
      if (!comment || typeof comment.id !== 'number') throw new Error('bad answer');
      setComments(c => [comment, ...(c || [])]);
      setBody('');
    } catch (err) {
      setErrors(errorMessages(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (id: number) => {
    setListErrors([]);
    try {
      await api.deleteComment(slug, id);
      setComments(c => (c || []).filter(x => x.id !== id));
    } catch (err) {
      setListErrors(errorMessages(err));
    }
  };

  const me = auth.user;
  void articleAuthor;
  return (
    <div class="row">
      <div class="col-xs-12 col-md-8 offset-md-2">
        {me ? (
          <>
            <ErrorList errors={errors} />
            <form class="card comment-form" onSubmit={post}>
              <div class="card-block">
                <textarea
                  class="form-control"
                  placeholder="Write a comment..."
                  aria-label="Write a comment"
                  rows={3}
                  value={body}
                  onInput={e => setBody(e.currentTarget.value)}
                  disabled={busy}
                />
              </div>
              <div class="card-footer">
                <Avatar image={me.image} cls="comment-author-img" />
                <button class="btn btn-sm btn-primary" type="submit" disabled={busy}>
                  Post Comment
                </button>
              </div>
            </form>
          </>
        ) : (
          <p class="comment-signin">
            <a href="/login">Sign in</a> or <a href="/register">sign up</a> to add comments on this article.
          </p>
        )}
        <ErrorList errors={listErrors} />
        {(comments || []).map(c => {
          const href = `/profile/${encodeURIComponent(c.author.username)}`;
          return (
            <div class="card" key={c.id}>
              <div class="card-block">
                <p class="card-text">{c.body}</p>
              </div>
              <div class="card-footer">
                <a href={href} class="comment-author" tabIndex={-1} aria-hidden="true">
                  <Avatar image={c.author.image} cls="comment-author-img" />
                </a>
                &nbsp;
                <a href={href} class="comment-author">
                  {c.author.username}
                </a>
                <span class="date-posted">{formatDate(c.createdAt)}</span>
                {me && me.username === c.author.username && (
                  <span class="mod-options">
                    <i
                      class="ion-trash-a"
                      role="button"
                      tabIndex={0}
                      aria-label="Delete comment"
                      onClick={() => remove(c.id)}
                      onKeyDown={e => (e.key === 'Enter' || e.key === ' ') && remove(c.id)}
                    />
                  </span>
                )}
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}

function Related({ slug }: { slug: string }) {
  const [items, setItems] = useState<Article[] | null>(null);
  const [degraded, setDegraded] = useState(false);
  useEffect(() => {
    let live = true;
    setItems(null);
    api.related(slug, 5).then(
      r => {
        if (!live) return;
        setItems(r.articles);
        setDegraded(r.degraded);
      },
      () => live && setItems([]),
    );
    return () => {
      live = false;
    };
  }, [slug]);
  if (!items || (items.length === 0 && !degraded)) return null;
  return (
    <section class="related-articles" aria-labelledby="related-heading">
      <h2 id="related-heading">Related articles</h2>
      {items.length === 0 ? (
        <p class="related-empty">Related articles appear here once this article has been indexed.</p>
      ) : (
        <ul>
          {items.map(a => (
            <li key={a.slug} class="related-item">
              <a href={`/article/${encodeURIComponent(a.slug)}`} class="related-link">
                <strong>{a.title}</strong>
              </a>
              <span class="related-desc">{a.description}</span>
              <span class="related-author">
                by {a.author.username} · {formatDate(a.publishedAt || a.createdAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ArticlePage({ slug }: { slug: string }) {
  const auth = useAuth();
  const rich = useRich();
  const [article, setArticle] = useState<Article | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [deleting, setDeleting] = useState(false);
  const [actionErrors, setActionErrors] = useState<string[]>([]);
  useTitle(article ? article.title : '');

  useEffect(() => {
    if (auth.state === 'loading') return;
    let live = true;
    setErrors([]);
    api.article(slug).then(
      ({ article: a }) => {
        if (!live) return;
        if (!a || typeof a.title !== 'string') return setErrors(['This article could not be loaded.']);
        setArticle(a);
      },
      e => {
        if (!live) return;
        setArticle(null);
        setErrors(e && e.status === 404 ? ['This article does not exist, or is not published.'] : errorMessages(e));
      },
    );
    return () => {
      live = false;
    };
  }, [slug, auth.state]);

  const del = async () => {
    if (!article || deleting) return;
    setDeleting(true);
    setActionErrors([]);
    try {
      await api.deleteArticle(article.slug);
      navigate('/');
    } catch (e) {
      setActionErrors(errorMessages(e));
      setDeleting(false);
    }
  };

  if (!article) {
    return (
      <div class="article-page">
        <div class="container page">
          {errors.length ? <ErrorList errors={errors} /> : <div class="feed-status" aria-busy="true">Loading article...</div>}
        </div>
      </div>
    );
  }
  const mine = Boolean(auth.user && auth.user.username === article.author.username);
  const actions = (
    <Actions article={article} mine={mine} onArticle={setArticle} onDelete={del} deleting={deleting} />
  );
  return (
    <div class="article-page">
      <div class="banner">
        <div class="container">
          <h1>{article.title}</h1>
          <ArticleMeta article={article}>{actions}</ArticleMeta>
        </div>
      </div>
      <div class="container page">
        {article.status === 'draft' && (
          <div class="draft-note" role="note">
            Draft: only you can see this article. <a href={`/editor/${encodeURIComponent(article.slug)}`}>Edit and publish it</a>.
          </div>
        )}
        <ErrorList errors={actionErrors} />
        <div class="row article-content">
          <div class="col-md-12">
            {rich ? (
              <div class="article-body" dangerouslySetInnerHTML={{ __html: rich.renderMarkdown(article.body || '') }} />
            ) : (
              <div class="article-body">
                <p>{article.body}</p>
              </div>
            )}
            <TagList tags={article.tagList} />
          </div>
        </div>
        <hr />
        <div class="article-actions">
          <ArticleMeta article={article}>{actions}</ArticleMeta>
        </div>
        <Comments slug={article.slug} articleAuthor={article.author.username} />
        {article.status !== 'draft' && <Related slug={article.slug} />}
      </div>
    </div>
  );
}
