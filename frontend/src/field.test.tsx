import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { Field, UploadButton, useSubmit } from './field';

const root = document.body.appendChild(document.createElement('div'));
afterEach(() => render(null, root));

describe('Field', () => {
  it('renders the template markup: fieldset.form-group > input.form-control', () => {
    const seen: string[] = [];
    render(<Field large type="email" name="email" placeholder="Email" autocomplete="email" value="a@b.c" onValue={v => seen.push(v)} />, root);
    const input = root.querySelector('fieldset.form-group > input.form-control.form-control-lg[name="email"]') as HTMLInputElement;
    expect(input).not.toBeNull();
    expect([input.type, input.placeholder, input.getAttribute('aria-label'), input.value]).toEqual(['email', 'Email', 'Email', 'a@b.c']);
    expect(input.getAttribute('autocomplete')).toBe('email');
    input.value = 'x@y.z';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    expect(seen).toEqual(['x@y.z']);
  });

  it('renders a textarea with rows, its own label, and children after the control', () => {
    render(
      <Field rows={8} name="body" placeholder="Write" label="Body" value="" onValue={() => {}}>
        <span class="after" />
      </Field>,
      root,
    );
    const area = root.querySelector('fieldset.form-group > textarea.form-control[name="body"]') as HTMLTextAreaElement;
    expect(area.classList.contains('form-control-lg')).toBe(false);
    expect([area.rows, area.getAttribute('aria-label'), area.hasAttribute('type')]).toEqual([8, 'Body', false]);
    expect(area.nextElementSibling?.className).toBe('after');
  });

  it('leaves out what is not given (the tag input has no name)', () => {
    render(<Field placeholder="Enter tags" value="" onValue={() => {}} />, root);
    const input = root.querySelector('input[placeholder="Enter tags"]') as HTMLInputElement;
    expect([input.hasAttribute('name'), input.hasAttribute('autocomplete'), input.type]).toEqual([false, false, 'text']);
  });
});

describe('UploadButton', () => {
  it('renders the upload label around a hidden image input', () => {
    render(<UploadButton icon="ion-image" text="Insert an image" label="Upload an image" onUploaded={() => {}} onErrors={() => {}} />, root);
    const label = root.querySelector('label.btn.btn-sm.btn-outline-secondary.upload-btn') as HTMLLabelElement;
    expect(label.textContent).toBe(' Insert an image');
    expect(label.querySelector('i.ion-image')?.getAttribute('aria-hidden')).toBe('true');
    const input = label.querySelector('input[type="file"].visually-hidden') as HTMLInputElement;
    expect([input.accept, input.getAttribute('aria-label'), input.disabled]).toEqual(['image/png,image/jpeg,image/gif,image/webp', 'Upload an image', false]);
  });
});

describe('useSubmit', () => {
  it('runs one action at a time, and shows a failure and enables the form again', async () => {
    let state!: ReturnType<typeof useSubmit>;
    function Probe() {
      state = useSubmit();
      return <p>{state.busy ? 'busy' : state.errors.join('|')}</p>;
    }
    render(<Probe />, root);
    let fail!: (e: unknown) => void;
    const calls: number[] = [];
    let running!: Promise<void>;
    await act(() => {
      running = state.run(() => new Promise((_, reject) => ((fail = reject), calls.push(1))));
    });
    expect(root.textContent).toBe('busy');
    await act(() => state.run(async () => calls.push(2)));
    expect(calls).toEqual([1]);
    await act(async () => {
      fail({ kind: 'http', status: 422, errors: { title: ["can't be blank"] } });
      await running;
    });
    expect([state.busy, root.textContent]).toEqual([false, "title can't be blank"]);
  });
});
