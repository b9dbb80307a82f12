import { useEffect, useState } from 'preact/hooks';
import { getAuth, subscribe } from './auth';

export function useAuth() {
  const [auth, setAuth] = useState(getAuth());
  useEffect(() => subscribe(() => setAuth(getAuth())), []);
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
