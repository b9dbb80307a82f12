import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { _reset, signIn } from './auth';
import { useAuth } from './hooks';

const user = { username: 'ann', email: 'ann@x.io', bio: null, image: null, token: 'tok-1' };

function Probe() {
  const auth = useAuth();
  return <p id="state">{auth.state}</p>;
}

let root: HTMLElement;
beforeEach(() => {
  _reset();
  localStorage.clear();
  root = document.createElement('div');
  document.body.appendChild(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

describe('useAuth', () => {
  it('sees a sign-in that lands between the first render and the effects', async () => {
    // render without flushing effects, change the state, then let effects and re-renders run
    render(<Probe />, root);
    expect(root.textContent).toBe('loading');
    signIn(user);
    act(() => {});
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(root.textContent).toBe('authenticated');
  });

  it('follows later changes', () => {
    act(() => {
      render(<Probe />, root);
    });
    expect(root.textContent).toBe('loading');
    act(() => signIn(user));
    expect(root.textContent).toBe('authenticated');
  });
});
