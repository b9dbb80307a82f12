import { useState } from 'preact/hooks';
import { User, api, errorMessages } from '../api';
import { signOut, updateUser } from '../auth';
import { Avatar, ErrorList } from '../components';
import { useTitle } from '../hooks';
import { navigate } from '../router';

export function Settings({ user }: { user: User }) {
  useTitle('Settings');
  const [image, setImage] = useState(user.image || '');
  const [username, setUsername] = useState(user.username);
  const [bio, setBio] = useState(user.bio || '');
  const [email, setEmail] = useState(user.email);
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setErrors([]);
    const changes: Record<string, string | null> = { image: image.trim() || null, username: username.trim(), bio, email: email.trim() };
    if (password) changes.password = password;
    try {
      const { user: next } = await api.updateUser(changes);
      if (!next || typeof next.username !== 'string') throw new Error('bad answer');
      updateUser(next);
      navigate(`/profile/${encodeURIComponent(next.username)}`);
    } catch (err) {
      setErrors(errorMessages(err));
      setBusy(false);
    }
  };

  const upload = async (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files && input.files[0];
    if (!file) return;
    setUploading(true);
    setErrors([]);
    try {
      const { media } = await api.upload(file);
      setImage(media.url);
    } catch (err) {
      setErrors(errorMessages(err));
    } finally {
      setUploading(false);
      input.value = '';
    }
  };

  const logout = () => {
    signOut();
    navigate('/');
  };

  return (
    <div class="settings-page">
      <div class="container page">
        <div class="row">
          <div class="col-md-6 offset-md-3 col-xs-12">
            <h1 class="text-xs-center">Your Settings</h1>
            <ErrorList errors={errors} />
            <form onSubmit={submit}>
              <fieldset disabled={busy}>
                <fieldset class="form-group avatar-field">
                  <Avatar image={image} cls="settings-avatar" alt="Your profile picture" />
                  <input
                    class="form-control"
                    type="text"
                    name="image"
                    placeholder="URL of profile picture"
                    aria-label="URL of profile picture"
                    value={image}
                    onInput={e => setImage(e.currentTarget.value)}
                  />
                  <label class="btn btn-sm btn-outline-secondary upload-btn">
                    {uploading ? 'Uploading…' : 'Upload a picture'}
                    <input type="file" accept="image/png,image/jpeg,image/gif,image/webp" class="visually-hidden" onChange={upload} disabled={uploading} aria-label="Upload a profile picture" />
                  </label>
                </fieldset>
                <fieldset class="form-group">
                  <input
                    class="form-control form-control-lg"
                    type="text"
                    name="username"
                    placeholder="Your Name"
                    aria-label="Username"
                    autocomplete="username"
                    value={username}
                    onInput={e => setUsername(e.currentTarget.value)}
                  />
                </fieldset>
                <fieldset class="form-group">
                  <textarea
                    class="form-control form-control-lg"
                    rows={8}
                    name="bio"
                    placeholder="Short bio about you"
                    aria-label="Short bio about you"
                    value={bio}
                    onInput={e => setBio(e.currentTarget.value)}
                  />
                </fieldset>
                <fieldset class="form-group">
                  <input
                    class="form-control form-control-lg"
                    type="email"
                    name="email"
                    placeholder="Email"
                    aria-label="Email"
                    autocomplete="email"
                    value={email}
                    onInput={e => setEmail(e.currentTarget.value)}
                  />
                </fieldset>
                <fieldset class="form-group">
                  <input
                    class="form-control form-control-lg"
                    type="password"
                    name="password"
                    placeholder="New Password"
                    aria-label="New password"
                    autocomplete="new-password"
                    value={password}
                    onInput={e => setPassword(e.currentTarget.value)}
                  />
                </fieldset>
                <button class="btn btn-lg btn-primary pull-xs-right" type="submit">
                  Update Settings
                </button>
              </fieldset>
            </form>
            <hr />
            <button type="button" class="btn btn-outline-danger" onClick={logout}>
              Or click here to logout.
            </button>
          </div>
        </div>
      </div>
    </div>
  );
}
