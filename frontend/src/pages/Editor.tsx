import { useEffect, useRef, useState } from 'preact/hooks';
import { Article, User, api, errorMessages } from '../api';
import { ErrorList } from '../components';
import { Field, UploadButton, useSubmit } from '../field';
import { useTitle } from '../hooks';
import { navigate } from '../router';
import { addTag, imageMarkdown, insertAt } from '../util';

export function Editor({ slug, user }: { slug?: string; user: User }) {
  useTitle(slug ? 'Edit article' : 'New article');
  const [loaded, setLoaded] = useState<Article | null>(null);
  const [loading, setLoading] = useState(Boolean(slug));
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [body, setBody] = useState('');
  const [tagInput, setTagInput] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const { errors, setErrors, busy, run } = useSubmit();
  const bodyRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (!slug) return;
    let live = true;
    setLoading(true);
    api.article(slug).then(
      ({ article }) => {
        if (!live) return;
        if (article.author.username !== user.username) {
          navigate(`/article/${encodeURIComponent(article.slug)}`, { replace: true });
          return;
        }
        setLoaded(article);
        setTitle(article.title);
        setDescription(article.description);
        setBody(article.body || '');
        setTags(article.tagList || []);
        setLoading(false);
      },
      e => {
        if (!live) return;
        setErrors(errorMessages(e));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [slug]);

  const save = (status: 'published' | 'draft') => {
    if (busy) return;
    const allTags = addTag(tags, tagInput);
    if (allTags !== tags) {
      setTags(allTags);
      setTagInput('');
    }
    const article = { title, description, body, tagList: allTags, status };
    run(async () => {
      const { article: saved } = slug ? await api.updateArticle(slug, article) : await api.createArticle(article);
      if (!saved || !saved.slug) throw new Error('bad answer');
      navigate(`/article/${encodeURIComponent(saved.slug)}`);
    });
  };

  const onTagKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault();
      setTags(addTag(tags, tagInput));
      setTagInput('');
    }
  };

  const insertImage = (url: string, file: File) => {
    const area = bodyRef.current;
    const start = area ? area.selectionStart : body.length;
    const end = area ? area.selectionEnd : body.length;
    const md = imageMarkdown(file.name, url);
    const prefix = start > 0 && body[start - 1] !== '\n' ? '\n\n' : '';
    const next = insertAt(body, start, end, `${prefix}${md}\n`);
    setBody(next.value);
    requestAnimationFrame(() => {
      if (area) {
        area.focus();
        area.setSelectionRange(next.caret, next.caret);
      }
    });
  };

  const isDraft = !loaded || loaded.status === 'draft';
  return (
    <div class="editor-page">
      <div class="container page">
        <div class="row">
          <div class="col-md-10 offset-md-1 col-xs-12">
            <ErrorList errors={errors} />
            {loaded && loaded.status === 'draft' && <p class="draft-note">This article is a draft: only you can see it.</p>}
            <form onSubmit={e => (e.preventDefault(), save('published'))}>
              <fieldset disabled={busy || loading}>
                <Field large name="title" placeholder="Article Title" label="Article title" value={title} onValue={setTitle} />
                <Field name="description" placeholder="What's this article about?" value={description} onValue={setDescription} />
                <Field
                  rows={8}
                  inputRef={bodyRef}
                  name="body"
                  placeholder="Write your article (in markdown)"
                  value={body}
                  onValue={setBody}
                >
                  <UploadButton
                    icon="ion-image"
                    text="Insert an image"
                    label="Upload an image into the article"
                    onUploaded={insertImage}
                    onErrors={setErrors}
                  />
                </Field>
                <Field placeholder="Enter tags" value={tagInput} onValue={setTagInput} onKeyDown={onTagKey}>
                  <div class="tag-list">
                    {tags.map(t => (
                      <span key={t} class="tag-default tag-pill">
                        <i
                          class="ion-close-round"
                          role="button"
                          tabIndex={0}
                          aria-label={`Remove tag ${t}`}
                          onClick={() => setTags(tags.filter(x => x !== t))}
                          onKeyDown={e => (e.key === 'Enter' || e.key === ' ') && setTags(tags.filter(x => x !== t))}
                        />{' '}
                        {t}
                      </span>
                    ))}
                  </div>
                </Field>
                <button class="btn btn-lg pull-xs-right btn-primary" type="button" onClick={() => save('published')}>
                  Publish Article
                </button>
                {isDraft && (
                  <button class="btn btn-lg pull-xs-right btn-outline-secondary save-draft" type="button" onClick={() => save('draft')}>
                    Save Draft
                  </button>
                )}
              </fieldset>
            </form>
          </div>
        </div>
      </div>
    </div>
  );
}
