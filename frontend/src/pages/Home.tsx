import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { ArticleFeed, Loader } from '../components';
import { useAuth, useTitle } from '../hooks';
import { navigate } from '../router';

export function Home({ feed, tag, pageNo }: { feed: 'global' | 'following' | 'tag'; tag?: string; pageNo: number }) {
  const auth = useAuth();
  const [tags, setTags] = useState<string[] | null>(null);
  const [tagsFailed, setTagsFailed] = useState(false);
  useTitle(tag ? `#${tag}` : '');

  useEffect(() => {
    api.tags().then(setTags, () => {
      setTags([]);
      setTagsFailed(true);
    });
  }, []);

  useEffect(() => {
    if (feed === 'following' && auth.state === 'unauthenticated') navigate('/login', { replace: true });
  }, [feed, auth.state]);

  const ready = auth.state !== 'loading' && !(feed === 'following' && auth.state !== 'authenticated');
  let load: Loader | null = null;
  if (ready) {
    if (feed === 'following') load = (offset, limit) => api.articles({ feed: true, offset, limit });
    else if (feed === 'tag') load = (offset, limit) => api.articles({ tag, offset, limit });
    else load = (offset, limit) => api.articles({ offset, limit });
  }
  const signedIn = auth.state === 'authenticated';

  return (
    <div class="home-page">
      <div class="banner">
        <div class="container">
          <h1 class="logo-font">conduit</h1>
          <p>A place to share your knowledge.</p>
        </div>
      </div>
      <div class="container page">
        <div class="row">
          <div class="col-md-9">
            <div class="feed-toggle">
              <ul class="nav nav-pills outline-active">
                {signedIn && (
                  <li class="nav-item">
                    <a class={`nav-link${feed === 'following' ? ' active' : ''}`} href="/?feed=following">
                      Your Feed
                    </a>
                  </li>
                )}
                <li class="nav-item">
                  <a class={`nav-link${feed === 'global' ? ' active' : ''}`} href="/">
                    Global Feed
                  </a>
                </li>
                {feed === 'tag' && tag && (
                  <li class="nav-item">
                    <a class="nav-link active" href={`/tag/${encodeURIComponent(tag)}`}>
                      <i class="ion-pound" aria-hidden="true" /> {tag}
                    </a>
                  </li>
                )}
              </ul>
            </div>
            <ArticleFeed
              load={load}
              loadKey={`${feed}:${tag || ''}:${auth.state}`}
              pageNo={pageNo}
              empty={
                feed === 'following' ? (
                  <>
                    Your feed is empty. Follow some authors, or browse the <a href="/">Global Feed</a>.
                  </>
                ) : (
                  'No articles are here... yet.'
                )
              }
            />
          </div>
          <div class="col-md-3">
            <div class="sidebar">
              <p>Popular Tags</p>
              {tags === null ? (
                <div class="feed-status">Loading tags...</div>
              ) : tags.length === 0 ? (
                <div class="feed-status">{tagsFailed ? 'Tags are unavailable right now.' : 'No tags are here... yet.'}</div>
              ) : (
                <div class="tag-list">
                  {tags.map(t => (
                    <a key={t} href={`/tag/${encodeURIComponent(t)}`} class="tag-pill tag-default">
                      {t}
                    </a>
                  ))}
                </div>
              )}
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}
