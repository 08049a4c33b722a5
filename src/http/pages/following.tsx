/** GET /following: the papers of the authors, organizations and categories the reader follows, newest first. */
import type { FollowView } from '../../community/follows.service.ts';
import type { ListPage } from '../../listings/listings.service.ts';
import type { Paper } from '../../papers/paper.ts';
import { FOLLOW_URLS, followingUrl } from '../community-urls.ts';
import { CSRF_FIELD } from '../csrf.ts';
import { authorUrl, type ListQuery, orgUrl, PAGE_SIZE, trendingUrl } from '../urls.ts';
import { FollowButton, HideSeenSwitch } from './community-parts.tsx';
import { papersCount } from './format.ts';
import { Layout } from './layout.tsx';
import { EmptyList, Pager, PaperList } from './list-parts.tsx';

/** What the page shows. */
export interface FollowingView {
  list: ListPage;
  follows: FollowView[];
  query: ListQuery;
  isNew: (paper: Paper) => boolean;
  /** The page is the reader's own, so its form carries the token directly. */
  csrf: string;
}

function Followed({ f }: { f: FollowView }) {
  if (f.kind === 'author')
    return (
      <li>
        <span class="muted">Author</span> <a href={authorUrl({ id: f.id })}>{f.name}</a> <FollowButton target={{ author: f.id }} />
      </li>
    );
  if (f.kind === 'organization')
    return (
      <li>
        <span class="muted">Organization</span> <a href={orgUrl({ slug: f.slug })}>{f.name}</a> <FollowButton target={{ organization: f.slug }} />
      </li>
    );
  return (
    <li>
      <span class="muted">Category</span> <a href={trendingUrl({ cat: [f.category] })}>{f.category}</a> <FollowButton target={{ category: f.category }} />
    </li>
  );
}

/** Renders the Following page. */
export function followingPage({ list, follows, query, isNew, csrf }: FollowingView) {
  return (
    <Layout title={list.page > 1 ? `Following, page ${list.page}` : 'Following'} canonical={followingUrl()}>
      <header class="period-head">
        <p class="eyebrow">Yours</p>
        <h1>Following</h1>
        <p class="stats">
          {follows.length > 0 ? `${papersCount(list.total)} by what you follow, newest first` : 'Follow authors, organizations and categories to see their new papers here.'}
        </p>
      </header>
      <section class="follows" aria-labelledby="follows-title">
        <h2 id="follows-title">You follow</h2>
        {follows.length > 0 ? (
          <ul class="follow-list">
            {follows.map((f) => (
              <Followed f={f} />
            ))}
          </ul>
        ) : (
          <p class="muted">Nothing yet: use the Follow buttons on author and organization pages, or follow a category here.</p>
        )}
        <form class="follow-category" method="post" action={FOLLOW_URLS.form}>
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <label for="follow-category">Follow a category or archive</label>
          <input type="text" id="follow-category" name="category" required maxlength={40} placeholder="cs.LG, hep-th or cs" pattern="[A-Za-z][A-Za-z0-9\-]*(\.[A-Za-z0-9\-]+)?" />
          <input type="hidden" name="follow" value="1" />
          <input type="hidden" name="back" value={followingUrl()} />
          <button type="submit">Follow</button>
        </form>
      </section>
      <HideSeenSwitch />
      {list.papers.length > 0 ? (
        <PaperList papers={list.papers} start={(list.page - 1) * PAGE_SIZE + 1} options={{ isNew }} />
      ) : follows.length > 0 ? (
        <EmptyList title={query.hide ? 'You have seen every paper here' : 'No papers yet'}>
          <p>{query.hide ? <a href={followingUrl()}>Show the papers you have seen</a> : 'None of the papers in this store are by what you follow.'}</p>
        </EmptyList>
      ) : null}
      <Pager page={list.page} pageCount={list.pageCount} href={(page) => followingUrl({ ...query, page })} />
    </Layout>
  );
}
