/** Error pages: a short explanation and a way back, never a stack trace. */
import { homeUrl } from '../urls.ts';
import { Layout } from './layout.tsx';

/** What went wrong, in words a reader can act on. */
export interface ErrorInfo {
  status: 400 | 404 | 500;
  title: string;
  message: string;
}

/** Renders an error page for the given status. */
export function errorPage({ status, title, message }: ErrorInfo) {
  return (
    <Layout title={title}>
      <section class="error-page" aria-labelledby="error-title">
        <p class="code">Error {status}</p>
        <h1 id="error-title">{title}</h1>
        <p>{message}</p>
        <p>
          <a href={homeUrl()}>Back to the newest papers</a>
        </p>
      </section>
    </Layout>
  );
}
