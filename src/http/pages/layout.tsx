/** The page shell every HTML page shares: head, skip link, header with nav, main, footer. */
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { assetUrl } from '../assets/assets.ts';
import { homeUrl, papersApiUrl } from '../urls.ts';

/** Sections of the site the nav can mark as current. */
export type NavSection = 'newest' | 'api' | 'none';

/** What a page tells the shell about itself. */
export interface LayoutProps {
  /** The page's own title; " · Paperboy" is appended. */
  title?: string;
  description?: string;
  /** Absolute or root-relative canonical URL, when the page can be reached by several URLs. */
  canonical?: string;
  section?: NavSection;
  children?: Child;
}

const NAV: { section: NavSection; href: string; label: string }[] = [
  { section: 'newest', href: homeUrl(), label: 'Newest' },
  { section: 'api', href: papersApiUrl(), label: 'JSON API' },
];

/** Wraps page content in the full HTML document. */
export function Layout({ title, description, canonical, section = 'none', children }: LayoutProps) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{title ? `${title} · Paperboy` : 'Paperboy'}</title>
          {description && <meta name="description" content={description} />}
          {canonical && <link rel="canonical" href={canonical} />}
          <meta name="color-scheme" content="light dark" />
          <link rel="stylesheet" href={assetUrl('app.css')} />
          <link rel="icon" href={assetUrl('favicon.svg')} type="image/svg+xml" />
        </head>
        <body>
          <a class="skip-link" href="#main">
            Skip to content
          </a>
          <header class="site-header">
            <div class="wrap">
              <a class="brand" href={homeUrl()}>
                Paperboy
              </a>
              <nav class="site-nav" aria-label="Main">
                <ul>
                  {NAV.map((item) => (
                    <li>
                      <a href={item.href} aria-current={item.section === section ? 'page' : undefined}>
                        {item.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            </div>
          </header>
          <main id="main" tabindex={-1}>
            <div class="wrap">{children}</div>
          </main>
          <footer class="site-footer">
            <div class="wrap">
              <p>Paperboy — research papers, served from your own machine. Metadata from arXiv and Hugging Face.</p>
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}
