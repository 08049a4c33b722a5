/**
 * A page with one comment form: GET /comments/<n>/edit (the edit form without the paper page around it), and
 * a comment or reply shown again when it could not be posted (empty, too long, too many in a minute) — the
 * reader's text is kept and the reason said.
 */
import { CSRF_FIELD } from '../csrf.ts';
import { paperUrl } from '../urls.ts';
import { Notice } from './account-parts.tsx';
import { CommentFields } from './comment-slots.tsx';
import { peopleStyles } from './collections.tsx';
import { Markup } from './markup.ts';
import { Layout } from './layout.tsx';

/** What the page shows. */
export interface CommentFormPageProps {
  title: string;
  paper: { id: number; arxivId: string | null; title: string };
  action: string;
  csrf: string;
  /** Hidden fields of the form (paper, parent). */
  fields?: Record<string, string>;
  body: string;
  button: string;
  error?: string;
}

/** The page. */
export function commentFormPage(p: CommentFormPageProps) {
  return (
    <Layout title={p.title} head={peopleStyles}>
      <section class="narrow">
        <h1>{p.title}</h1>
        <p>
          On <a href={`${paperUrl(p.paper)}#comments`}><Markup text={p.paper.title} title /></a>
        </p>
        {p.error && <Notice kind="warn">{p.error}</Notice>}
        <form method="post" action={p.action} class="comment-form">
          <input type="hidden" name={CSRF_FIELD} value={p.csrf} />
          {Object.entries(p.fields ?? {}).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <CommentFields id="comment-body" label="Your comment" value={p.body} button={p.button} rows={8} />
        </form>
      </section>
    </Layout>
  );
}
