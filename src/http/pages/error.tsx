/** Error pages: a short explanation and a way back, never a stack trace. */
import { homeUrl } from '../urls.ts';
import { Layout } from './layout.tsx';

/** What went wrong, in words a reader can act on. */
export interface ErrorInfo {
  status: 400 | 401 | 403 | 404 | 429 | 500 | 503;
  title: string;
  message: string;
  /** Where to go instead (the last page of a list), shown before the way home. */
  link?: { href: string; label: string };
}

/** Renders an error page for the given status. */
export function errorPage({ status, title, message, link }: ErrorInfo) {
  return (
    <Layout title={title}>
      <section class="error-page" aria-labelledby="error-title">
        <p class="code">Error {status}</p>
        <h1 id="error-title">{title}</h1>
        <p>{message}</p>
        {link && (
          <p>
            <a href={link.href}>{link.label}</a>
          </p>
        )}
        <p>
          <a href={homeUrl()}>Back to the newest papers</a>
        </p>
      </section>
    </Layout>
  );
}
