/** Author and organization pages: who they are, how many papers, the papers newest first. */
import type { authorListing, organizationListing } from '../../listings/listings.service.ts';
import type { Paper } from '../../papers/paper.ts';
import { PAGE_SIZE, authorUrl, orgUrl, withListQuery } from '../urls.ts';
import { FollowButton, HideSeenSwitch } from './community-parts.tsx';
import { formatCount } from './format.ts';
import { Layout } from './layout.tsx';
import { authorFeedUrl, feedLinks, organizationFeedUrl } from '../feed-urls.ts';
import { Pager, PaperList } from './list-parts.tsx';

/** `hide`: the reader asked to leave out what they have seen (`?hide=read`, kept by the pager). */
type AuthorView = NonNullable<Awaited<ReturnType<typeof authorListing>>> & { isNew: (paper: Paper) => boolean; hide?: 'read' };
type OrganizationView = NonNullable<Awaited<ReturnType<typeof organizationListing>>> & { isNew: (paper: Paper) => boolean; hide?: 'read' };

const papersCount = (n: number) => `${formatCount(n)} ${n === 1 ? 'paper' : 'papers'}`;

/** Renders an author's page. */
export function authorPage(view: AuthorView) {
  const { author, coauthors } = view;
  return (
    <Layout title={view.page > 1 ? `${author.name}, page ${view.page}` : author.name} canonical={authorUrl(author, view.page)} feeds={feedLinks(`Papers by ${author.name}`, (f) => authorFeedUrl(author.id, f))}>
      <header class="period-head">
        <p class="eyebrow">Author</p>
        <h1>{author.name}</h1>
        <p class="stats">{papersCount(author.paperCount)} in this store, newest first</p>
        <FollowButton target={{ author: author.id }} />
      </header>
      {coauthors.length > 0 && (
        <section class="coauthors" aria-labelledby="coauthors-title">
          <h2 id="coauthors-title">Frequent co-authors</h2>
          <ul>
            {coauthors.map((a) => (
              <li>
                <a href={authorUrl(a)}>{a.name}</a> <span class="muted">({formatCount(a.count)})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <h2 class="list-title">Papers</h2>
      <HideSeenSwitch />
      <PaperList papers={view.papers} start={(view.page - 1) * PAGE_SIZE + 1} options={{ isNew: view.isNew }} />
      <Pager page={view.page} pageCount={view.pageCount} href={(page) => withListQuery(authorUrl(author), { page, hide: view.hide })} />
    </Layout>
  );
}

/** Renders an organization's page. */
export function organizationPage(view: OrganizationView) {
  const { organization } = view;
  return (
    <Layout title={view.page > 1 ? `${organization.name}, page ${view.page}` : organization.name} canonical={orgUrl(organization, view.page)} feeds={feedLinks(`Papers from ${organization.name}`, (f) => organizationFeedUrl(organization.slug, f))}>
      <header class="period-head">
        <p class="eyebrow">Organization</p>
        <h1>{organization.name}</h1>
        <p class="stats">{papersCount(organization.paperCount)} in this store, newest first</p>
        <FollowButton target={{ organization: organization.slug }} />
      </header>
      <HideSeenSwitch />
      <PaperList papers={view.papers} start={(view.page - 1) * PAGE_SIZE + 1} options={{ isNew: view.isNew }} />
      <Pager page={view.page} pageCount={view.pageCount} href={(page) => withListQuery(orgUrl(organization), { page, hide: view.hide })} />
    </Layout>
  );
}
