import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { installDebug, restore } from './auth';
import { Avatar } from './components';
import { loadRich, useAuth } from './hooks';
import { AuthPage } from './pages/Auth';
import { ArticlePage } from './pages/Article';
import { Editor } from './pages/Editor';
import { Home } from './pages/Home';
import { ProfilePage } from './pages/Profile';
import { SearchPage, searchUrl } from './pages/Search';
import { Settings } from './pages/Settings';
import { Route, installLinkHandler, navigate, onNavigate, parseRoute } from './router';
import './styles.css';

function currentRoute(): Route {
  return parseRoute(location.pathname, location.search);
}

function Header({ route }: { route: Route }) {
  const auth = useAuth();
  const [q, setQ] = useState(route.page === 'search' ? route.q : '');
  useEffect(() => {
    if (route.page === 'search') setQ(route.q);
  }, [route]);
  const path = location.pathname;
  const link = (href: string, label: preact.ComponentChildren, active = path === href) => (
    <li class="nav-item">
      <a class={`nav-link${active ? ' active' : ''}`} href={href}>
        {label}
      </a>
    </li>
  );
  const user = auth.user;
  return (
    <nav class="navbar navbar-light">
      <div class="container">
        <a class="navbar-brand" href="/">
          conduit
        </a>
        <form
          class="navbar-search"
          role="search"
          onSubmit={e => {
            e.preventDefault();
            if (q.trim()) navigate(searchUrl(q.trim(), route.page === 'search' ? route.mode : 'hybrid', ''));
          }}
        >
          <input
            type="search"
            class="form-control form-control-sm"
            placeholder="Search articles"
            aria-label="Search articles"
            maxLength={500}
            value={q}
            onInput={e => setQ(e.currentTarget.value)}
          />
        </form>
        <ul class="nav navbar-nav pull-xs-right">
          {link('/', 'Home', route.page === 'home')}
          {user ? (
            <>
              {link(
                '/editor',
                <>
                  <i class="ion-compose" aria-hidden="true" />
                  &nbsp;New Article
                </>,
              )}
              {link(
                '/settings',
                <>
                  <i class="ion-gear-a" aria-hidden="true" />
                  &nbsp;Settings
                </>,
              )}
              {link(
                `/profile/${encodeURIComponent(user.username)}`,
                <>
                  <Avatar image={user.image} cls="user-pic" />
                  {user.username}
                </>,
                route.page === 'profile' && route.username === user.username,
              )}
            </>
          ) : (
            <>
              {link('/login', 'Sign in')}
              {link('/register', 'Sign up')}
            </>
          )}
        </ul>
      </div>
    </nav>
  );
}

function ConnectionBanner() {
  const auth = useAuth();
  if (auth.state !== 'unavailable') return null;
  return (
    <div class="connection-banner" role="status">
      <div class="container">
        Connecting to the server… your session is kept and will resume when it answers.{' '}
        <button type="button" class="btn btn-sm btn-outline-secondary" onClick={() => void restore()}>
          Retry now
        </button>
      </div>
    </div>
  );
}

function Guard({ children }: { children: (user: NonNullable<ReturnType<typeof useAuth>['user']>) => preact.ComponentChildren }) {
  const auth = useAuth();
  useEffect(() => {
    if (auth.state === 'unauthenticated') navigate('/login', { replace: true });
  }, [auth.state]);
  if (auth.state === 'authenticated' && auth.user) return <>{children(auth.user)}</>;
  if (auth.state === 'unavailable') {
    return (
      <div class="container page">
        <div class="feed-status">This page needs the server, which is not answering yet.</div>
      </div>
    );
  }
  return null;
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'home':
      return <Home feed={route.feed} tag={route.tag} pageNo={route.pageNo} />;
    case 'login':
    case 'register':
      return <AuthPage key={route.page} mode={route.page} />;
    case 'settings':
      return <Guard>{user => <Settings user={user} />}</Guard>;
    case 'editor':
      return <Guard>{user => <Editor key={route.slug || 'new'} slug={route.slug} user={user} />}</Guard>;
    case 'article':
      return <ArticlePage key={route.slug} slug={route.slug} />;
    case 'profile':
      return <ProfilePage key={route.username} username={route.username} tab={route.tab} pageNo={route.pageNo} />;
    case 'search':
      return <SearchPage q={route.q} mode={route.mode} tag={route.tag} pageNo={route.pageNo} />;
    default:
      return (
        <div class="container page">
          <h1>Page not found</h1>
          <p>
            Nothing lives at this address. <a href="/">Go to the home page</a>.
          </p>
        </div>
      );
  }
}

function App() {
  const [route, setRoute] = useState<Route>(currentRoute);
  useEffect(() => {
    const update = () => {
      const next = currentRoute();
      if (next.page === 'article' || next.page === 'search') void loadRich();
      setRoute(next);
    };
    const stop = onNavigate(update);
    update(); // children's effects run first and may have redirected before this listener existed
    return stop;
  }, []);
  return (
    <>
      <Header route={route} />
      <ConnectionBanner />
      <main>
        <Page route={route} />
      </main>
      <footer>
        <div class="container">
          <a href="/" class="logo-font">
            conduit
          </a>
          <span class="attribution">
            An interactive learning project. Code &amp; design licensed under MIT.
          </span>
        </div>
      </footer>
    </>
  );
}

installDebug(window as unknown as Parameters<typeof installDebug>[0]);
installLinkHandler(document);
const first = currentRoute();
if (first.page === 'article' || first.page === 'search') void loadRich();
void restore();
render(<App />, document.getElementById('app')!);
