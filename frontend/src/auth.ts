// The signed-in user: the JWT lives in localStorage under `jwtToken` (the RealWorld selectors contract).
// On start a stored token is checked with GET /api/user: a 4xx answer signs out (token dropped), a 5xx,
// network or parse failure keeps the token and enters "unavailable" mode (retried in the background).
import { ApiError, User, api, setTokenSource } from './api';

export type AuthState = 'loading' | 'authenticated' | 'unauthenticated' | 'unavailable';
export const TOKEN_KEY = 'jwtToken';

interface Snapshot {
  state: AuthState;
  user: User | null;
}

let snapshot: Snapshot = { state: 'loading', user: null };
const listeners = new Set<() => void>();
let retryTimer: ReturnType<typeof setTimeout> | undefined;

function set(next: Snapshot) {
  snapshot = next;
  listeners.forEach(l => l());
}

export function getAuth(): Snapshot {
  return snapshot;
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function getToken(): string | null {
  return storage()?.getItem(TOKEN_KEY) ?? null;
}

/** Only an authenticated session sends its token: an unchecked or broken one must not poison public reads. */
setTokenSource(() => (snapshot.state === 'authenticated' ? getToken() : null));

export function signIn(user: User): void {
  storage()?.setItem(TOKEN_KEY, user.token);
  clearTimeout(retryTimer);
  set({ state: 'authenticated', user });
}

export function updateUser(user: User): void {
  if (user.token) storage()?.setItem(TOKEN_KEY, user.token);
  set({ state: 'authenticated', user: { ...user, token: user.token || getToken() || '' } });
}

export function signOut(): void {
  storage()?.removeItem(TOKEN_KEY);
  clearTimeout(retryTimer);
  set({ state: 'unauthenticated', user: null });
}

/** Check the stored token; resolves once the state is known. `retryMs` schedules retries while unavailable. */
export async function restore(retryMs = 5000): Promise<AuthState> {
  const token = getToken();
  if (!token) {
    set({ state: 'unauthenticated', user: null });
    return snapshot.state;
  }
  try {
    const data = await api.currentUser(token);
    if (!data || !data.user || typeof data.user.username !== 'string') throw new ApiError('parse', 200, {});
    set({ state: 'authenticated', user: { ...data.user, token: data.user.token || token } });
  } catch (e) {
    if (e instanceof ApiError && e.kind === 'http' && e.status >= 400 && e.status < 500) {
      signOut();
    } else {
      set({ state: 'unavailable', user: null });
      if (retryMs > 0) {
        clearTimeout(retryTimer);
        retryTimer = setTimeout(() => void restore(retryMs), retryMs);
      }
    }
  }
  return snapshot.state;
}

export interface ConduitDebug {
  getToken(): string | null;
  getAuthState(): AuthState;
  getCurrentUser(): User | null;
}

export function installDebug(target: { __conduit_debug__?: ConduitDebug }): void {
  target.__conduit_debug__ = {
    getToken,
    getAuthState: () => snapshot.state,
    getCurrentUser: () => (snapshot.user ? { ...snapshot.user } : null),
  };
}

/** Test hook: reset the module state. */
export function _reset(): void {
  clearTimeout(retryTimer);
  snapshot = { state: 'loading', user: null };
}
