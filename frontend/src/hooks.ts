import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { getAuth, subscribe } from './auth';

/** The auth snapshot, re-rendering on change. Subscribes in a layout effect and re-reads on subscribing: a change
 * that lands between the first render and the subscription (the start-up GET /api/user answering before effects
 * ran, common under load) would otherwise leave the page on "loading" for good. */
export function useAuth() {
  const [auth, setAuth] = useState(getAuth());
  useLayoutEffect(() => {
    const stop = subscribe(() => setAuth(getAuth()));
    setAuth(getAuth());
    return stop;
  }, []);
  return auth;
}

export function useTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} — Conduit` : 'Conduit';
  }, [title]);
}

/** The lazily loaded markdown + sanitizer module (null until it arrived). */
type Rich = typeof import('./markdown');
let richModule: Rich | null = null;
let richPromise: Promise<Rich> | null = null;
export function loadRich(): Promise<Rich> {
  if (!richPromise) richPromise = import('./markdown').then(m => (richModule = m));
  return richPromise;
}
export function useRich(): Rich | null {
  const [rich, setRich] = useState<Rich | null>(richModule);
  useEffect(() => {
    if (!rich) void loadRich().then(setRich);
  }, []);
  return rich;
}
