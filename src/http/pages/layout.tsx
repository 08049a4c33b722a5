/** The page shell every HTML page shares: head, skip link, header with nav, main, footer. */
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { assetUrl } from '../assets/assets.ts';
import { archiveUrl, homeUrl, trendingUrl } from '../urls.ts';
import type { FeedLink } from '../feed-urls.ts';
import { siteUrl } from '../site.ts';
import { AccountMenu } from './account-menu.tsx';
import { ReaderForms } from './reader-forms.tsx';
import { CommunityNav } from './community-parts.tsx';
import { latexToText } from '../../papers/latex-text.ts';

/** Sections of the site the nav can mark as current. */
export type NavSection = 'daily' | 'trending' | 'search' | 'archive' | 'subscribe' | 'api' | 'none';

/** What a page tells the shell about itself. */
export interface LayoutProps {
  /** The page's own title, TeX allowed (a paper's title is shown as Unicode text); " · Paperboy" is appended. */
  title?: string;
  description?: string;
  /** Root-relative (made absolute on PUBLIC_BASE_URL) or absolute canonical URL; also the URL share cards point to. */
  canonical?: string;
  /** What the page is to OpenGraph readers: a paper is an article, everything else a website. */
  ogType?: 'website' | 'article';
  section?: NavSection;
  /** Extra elements for <head> (a page's own stylesheet). */
  head?: Child;
  /** RSS/Atom feeds of this page, announced with <link rel="alternate"> for feed readers. */
  feeds?: FeedLink[];
  children?: Child;
}

const NAV: { section: NavSection; href: string; label: string }[] = [
  { section: 'daily', href: homeUrl(), label: 'Daily' },
  { section: 'trending', href: trendingUrl(), label: 'Trending' },
  { section: 'archive', href: archiveUrl(), label: 'Archive' },
  { section: 'subscribe', href: '/subscribe', label: 'Email digest' },
  { section: 'api', href: '/api', label: 'JSON API' },
];

/** Wraps page content in the full HTML document. */
export function Layout({ title, description, canonical, ogType = 'website', section = 'none', head, feeds, children }: LayoutProps) {
  const url = canonical && siteUrl(canonical);
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          {/* A tab shows only text: a paper's TeX (`GSBAK$^K$`) reads as Unicode there ("GSBAKᴷ"). */}
          <title>{title ? `${latexToText(title)} · Paperboy` : 'Paperboy'}</title>
          {description && <meta name="description" content={latexToText(description)} />}
          {url && <link rel="canonical" href={url} />}
          <ShareTags title={title ?? 'Paperboy'} description={description} url={url} type={ogType} />
          <meta name="color-scheme" content="light dark" />
          <link rel="stylesheet" href={assetUrl('app.css')} />
          <link rel="icon" href={assetUrl('favicon.svg')} type="image/svg+xml" />
          {feeds?.map((f) => <link rel="alternate" type={f.format === 'atom' ? 'application/atom+xml' : 'application/rss+xml'} title={f.title} href={f.href} />)}
          {head}
          <script src={assetUrl('app.js')} defer></script>
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
              <form class="site-search" role="search" method="get" action="/search">
                <label for="site-search" class="sr-only">
                  Search papers
                </label>
                <input type="search" id="site-search" name="q" placeholder="Find papers" />
                <button type="submit">Search</button>
              </form>
              <CommunityNav />
              <AccountMenu />
              <ReaderForms />
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

/** OpenGraph and Twitter card tags: what chat apps and social sites show for a shared link. No image: a paper has none of its own. */
function ShareTags({ title, description, url, type }: { title: string; description?: string; url?: string; type: 'website' | 'article' }) {
  return (
    <>
      <meta property="og:site_name" content="Paperboy" />
      <meta property="og:type" content={type} />
      <meta property="og:title" content={latexToText(title)} />
      {description && <meta property="og:description" content={latexToText(description)} />}
      {url && <meta property="og:url" content={url} />}
      <meta name="twitter:card" content="summary" />
      <meta name="twitter:title" content={latexToText(title)} />
      {description && <meta name="twitter:description" content={latexToText(description)} />}
    </>
  );
}
