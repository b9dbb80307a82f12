import type { ComponentChildren, Ref } from 'preact';
import { useState } from 'preact/hooks';
import { api, errorMessages } from './api';

type FieldProps = {
  /** The control's name (the RealWorld selectors find inputs by it, e.g. input[name="email"]). */
  name?: string;
  placeholder: string;
  /** Its accessible name; the placeholder when not given. */
  label?: string;
  value: string;
  onValue: (value: string) => void;
  type?: 'text' | 'email' | 'password';
  /** A textarea of this many rows instead of an input. */
  rows?: number;
  /** form-control-lg, the template's large control. */
  large?: boolean;
  autocomplete?: string;
  onKeyDown?: (e: KeyboardEvent) => void;
  inputRef?: Ref<HTMLTextAreaElement>;
  /** Shown after the control, inside its fieldset (an upload button, the tag list). */
  children?: ComponentChildren;
};

/**
 * A form's submit state. `run(action)` does nothing while an action runs, clears the errors, and if the action
 * fails shows its messages and enables the form again (a successful action navigates away).
 */
export function useSubmit() {
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<unknown>) => {
    if (busy) return;
    setBusy(true);
    setErrors([]);
    try {
      await action();
    } catch (err) {
      setErrors(errorMessages(err));
      setBusy(false);
    }
  };
  return { errors, setErrors, busy, run };
}

/** One form field of the RealWorld templates: fieldset.form-group around an input.form-control or a textarea. */
export function Field({ name, placeholder, label, value, onValue, type = 'text', rows, large, autocomplete, onKeyDown, inputRef, children }: FieldProps) {
  const cls = large ? 'form-control form-control-lg' : 'form-control';
  const common = { class: cls, name, placeholder, 'aria-label': label ?? placeholder, value, onKeyDown };
  return (
    <fieldset class="form-group">
      {rows ? (
        <textarea {...common} ref={inputRef} rows={rows} onInput={e => onValue(e.currentTarget.value)} />
      ) : (
        <input {...common} type={type} autocomplete={autocomplete} onInput={e => onValue(e.currentTarget.value)} />
      )}
      {children}
    </fieldset>
  );
}

type UploadProps = {
  text: string;
  /** The file input's accessible name. */
  label: string;
  /** An icon class shown before the text. */
  icon?: string;
  /** Called with the uploaded image's URL and the picked file. */
  onUploaded: (url: string, file: File) => void;
  /** Called with [] when an upload starts and with the error messages if it fails. */
  onErrors: (errors: string[]) => void;
};

/** A button that uploads one picked image to the media API (the file input is visually hidden inside its label). */
export function UploadButton({ text, label, icon, onUploaded, onErrors }: UploadProps) {
  const [uploading, setUploading] = useState(false);
  const upload = async (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files && input.files[0];
    if (!file) return;
    setUploading(true);
    onErrors([]);
    try {
      const { media } = await api.upload(file);
      onUploaded(media.url, file);
    } catch (err) {
      onErrors(errorMessages(err));
    } finally {
      setUploading(false);
      input.value = '';
    }
  };
  return (
    <label class="btn btn-sm btn-outline-secondary upload-btn">
      {icon && <i class={icon} aria-hidden="true" />}
      {icon && ' '}
      {uploading ? 'Uploading…' : text}
      <input
        type="file"
        accept="image/png,image/jpeg,image/gif,image/webp"
        class="visually-hidden"
        onChange={upload}
        disabled={uploading}
        aria-label={label}
      />
    </label>
  );
}
