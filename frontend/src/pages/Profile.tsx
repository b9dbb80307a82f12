import { useEffect, useState } from 'preact/hooks';
import { Profile, api, errorMessages } from '../api';
import { ArticleFeed, Avatar, ErrorList, FollowButton, Loader } from '../components';
import { useAuth, useTitle } from '../hooks';

export function ProfilePage({
  username,
  tab,
  pageNo,
}: {
  username: string;
  tab: 'articles' | 'favorites' | 'drafts';
  pageNo: number;
}) {
  const auth = useAuth();
  const [profile, setProfile] = useState<Profile | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  useTitle(username);

  useEffect(() => {
    if (auth.state === 'loading') return;
    let live = true;
    setErrors([]);
    api.profile(username).then(
      ({ profile: p }) => {
        if (!live) return;
        if (!p || typeof p.username !== 'string') return setErrors(['This profile could not be loaded.']);
        setProfile(p);
      },
      e => {
        if (!live) return;
        setProfile(null);
        setErrors(e && e.status === 404 ? ['There is no one here by that name.'] : errorMessages(e));
      },
    );
    return () => {
      live = false;
    };
  }, [username, auth.state]);

  const mine = Boolean(auth.user && auth.user.username === username);
  const base = `/profile/${encodeURIComponent(username)}`;
  let load: Loader | null = null;
  if (auth.state !== 'loading') {
    if (tab === 'favorites') load = (offset, limit) => api.articles({ favorited: username, offset, limit });
    else if (tab === 'drafts') load = mine ? (offset, limit) => api.articles({ drafts: true, author: username, offset, limit }) : null;
    else load = (offset, limit) => api.articles({ author: username, offset, limit });
  }

  return (
    <div class="profile-page">
      {profile ? (
        <div class="user-info">
          <div class="container">
            <div class="row">
              <div class="col-xs-12 col-md-10 offset-md-1">
                <Avatar image={profile.image} cls="user-img" alt={`${profile.username}'s profile picture`} />
                <h4>{profile.username}</h4>
                <p>{profile.bio || ''}</p>
                {mine ? (
                  <a class="btn btn-sm btn-outline-secondary action-btn" href="/settings">
                    <i class="ion-gear-a" aria-hidden="true" />
                    &nbsp; Edit Profile Settings
                  </a>
                ) : (
                  <FollowButton profile={profile} onChange={setProfile} />
                )}
              </div>
            </div>
          </div>
        </div>
      ) : (
        // no .user-info until there is a user: `.profile-page, .user-info` must match one element meanwhile
        <div class="container page">
          {errors.length ? <ErrorList errors={errors} /> : <div class="feed-status" aria-busy="true">Loading profile...</div>}
        </div>
      )}
      {profile && (
        <div class="container">
          <div class="row">
            <div class="col-xs-12 col-md-10 offset-md-1">
              <div class="articles-toggle">
                <ul class="nav nav-pills outline-active">
                  <li class="nav-item">
                    <a class={`nav-link${tab === 'articles' ? ' active' : ''}`} href={base}>
                      My Articles
                    </a>
                  </li>
                  <li class="nav-item">
                    <a class={`nav-link${tab === 'favorites' ? ' active' : ''}`} href={`${base}/favorites`}>
                      Favorited Articles
                    </a>
                  </li>
                  {mine && (
                    <li class="nav-item">
                      <a class={`nav-link${tab === 'drafts' ? ' active' : ''}`} href={`${base}/drafts`}>
                        My Drafts
                      </a>
                    </li>
                  )}
                </ul>
              </div>
              {tab === 'drafts' && !mine ? (
                <div class="feed-status empty-feed-message">Drafts are visible to their author only.</div>
              ) : (
                <ArticleFeed
                  load={load}
                  loadKey={`${username}:${tab}:${auth.state}`}
                  pageNo={pageNo}
                  empty={tab === 'drafts' ? 'No drafts here.' : 'No articles are here... yet.'}
                />
              )}
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
