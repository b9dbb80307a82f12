import { useState } from 'preact/hooks';
import { User, api } from '../api';
import { signOut, updateUser } from '../auth';
import { Avatar, ErrorList } from '../components';
import { Field, UploadButton, useSubmit } from '../field';
import { useTitle } from '../hooks';
import { navigate } from '../router';

export function Settings({ user }: { user: User }) {
  useTitle('Settings');
  const [image, setImage] = useState(user.image || '');
  const [username, setUsername] = useState(user.username);
  const [bio, setBio] = useState(user.bio || '');
  const [email, setEmail] = useState(user.email);
  const [password, setPassword] = useState('');
  const { errors, setErrors, busy, run } = useSubmit();

  const submit = (e: Event) => {
    e.preventDefault();
    const changes: Record<string, string | null> = { image: image.trim() || null, username: username.trim(), bio, email: email.trim() };
    if (password) changes.password = password;
    run(async () => {
      const { user: next } = await api.updateUser(changes);
      if (!next || typeof next.username !== 'string') throw new Error('bad answer');
      updateUser(next);
      navigate(`/profile/${encodeURIComponent(next.username)}`);
    });
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
                  <UploadButton text="Upload a picture" label="Upload a profile picture" onUploaded={setImage} onErrors={setErrors} />
                </fieldset>
                <Field large name="username" placeholder="Your Name" label="Username" autocomplete="username" value={username} onValue={setUsername} />
                <Field large rows={8} name="bio" placeholder="Short bio about you" value={bio} onValue={setBio} />
                <Field large type="email" name="email" placeholder="Email" autocomplete="email" value={email} onValue={setEmail} />
                <Field large type="password" name="password" placeholder="New Password" label="New password" autocomplete="new-password" value={password} onValue={setPassword} />
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
