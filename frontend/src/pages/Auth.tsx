import { useState } from 'preact/hooks';
import { api } from '../api';
import { signIn } from '../auth';
import { ErrorList } from '../components';
import { Field, useSubmit } from '../field';
import { useTitle } from '../hooks';
import { navigate } from '../router';

export function AuthPage({ mode }: { mode: 'login' | 'register' }) {
  const register = mode === 'register';
  useTitle(register ? 'Sign up' : 'Sign in');
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { errors, setErrors, busy, run } = useSubmit();

  const submit = (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const missing: string[] = [];
    if (register && !username.trim()) missing.push("username can't be blank");
    if (!email.trim()) missing.push("email can't be blank");
    if (!password) missing.push("password can't be blank");
    if (missing.length) return setErrors(missing);
    run(async () => {
      const { user } = register
        ? await api.register(username.trim(), email.trim(), password)
        : await api.login(email.trim(), password);
      if (!user || !user.token) throw new Error('no user');
      signIn(user);
      navigate('/');
    });
  };

  return (
    <div class="auth-page">
      <div class="container page">
        <div class="row">
          <div class="col-md-6 offset-md-3 col-xs-12">
            <h1 class="text-xs-center">{register ? 'Sign up' : 'Sign in'}</h1>
            <p class="text-xs-center">
              {register ? <a href="/login">Have an account?</a> : <a href="/register">Need an account?</a>}
            </p>
            <ErrorList errors={errors} />
            <form onSubmit={submit} noValidate>
              {register && (
                <Field large name="username" placeholder="Username" autocomplete="username" value={username} onValue={setUsername} />
              )}
              <Field large type="email" name="email" placeholder="Email" autocomplete="email" value={email} onValue={setEmail} />
              <Field large type="password" name="password" placeholder="Password" value={password} onValue={setPassword} autocomplete={register ? 'new-password' : 'current-password'} />
              <button class="btn btn-lg btn-primary pull-xs-right" type="submit" disabled={busy}>
                {register ? 'Sign up' : 'Sign in'}
              </button>
            </form>
          </div>
        </div>
      </div>
    </div>
  );
}
