/**
 * /admin/sources: the sources page and its forms (add, run now, switch on or off, remove). Admin only
 * (admin-auth.ts#adminOnly, as the rest of /admin); every form carries the CSRF token.
 */
import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { adminOnly } from '../admin-auth.ts';
import { csrfToken } from '../csrf.ts';
import { sourcesPage } from '../pages/sources.tsx';
import { WorkerPageParser } from '../../fetch/page-parser.ts';
import { ClientPool } from '../../sources/clients.ts';
import { runDueSources } from '../../sources/runner.ts';
import { addSource, removeSource, setSourceEnabled, SourceInputError, sourcesOverview } from '../../sources/sources.service.ts';

const back = (notice: string) => `/admin/sources?notice=${encodeURIComponent(notice.slice(0, 300))}`;
const field = (body: Record<string, unknown>, name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');

/** Routes under /admin/sources. */
export function adminSourcesRoutes({ db, config, now }: AppDeps) {
  // "Run now" runs here, in the background: a harvest can take minutes, the page answers at once.
  const clients = new ClientPool(config.sources);
  // Started on the first "Run now"; it never keeps the process alive.
  const parser = new WorkerPageParser();
  const log = (line: string) => config.logLevel !== 'silent' && console.error(line);
  return new Hono()
    .use('*', adminOnly(config), async (c, next) => {
      await next();
      c.header('Cache-Control', 'private, no-store');
    })
    .get('/', async (c) => {
      const overview = await sourcesOverview(db, config, now?.() ?? new Date());
      return c.html(sourcesPage({ csrf: csrfToken(c), ...overview, notice: c.req.query('notice')?.slice(0, 300) }));
    })
    .post('/', async (c) => {
      const body = await c.req.parseBody();
      const kind = field(body, 'kind');
      if (kind !== 'arxiv' && kind !== 'hf-daily' && kind !== 'feed') return c.redirect(back('Choose what kind of source to add.'), 303);
      try {
        const r = await addSource(db, { kind, target: field(body, 'target'), schedule: field(body, 'schedule') || undefined, backfillFrom: field(body, 'since') || undefined }, 'admin');
        return c.redirect(back(r.created ? `Added ${r.label}; it runs within a minute.` : `${r.label} is followed already.`), 303);
      } catch (err) {
        if (err instanceof SourceInputError) return c.redirect(back(err.message.replace(/^source: /, '')), 303);
        throw err;
      }
    })
    .post('/:id{[0-9]{1,9}}/:action{run|enable|disable|remove}', async (c) => {
      const id = Number(c.req.param('id'));
      const action = c.req.param('action');
      if (action === 'run') {
        void runDueSources({ db, config, clients, parse: parser.parse }, { sourceIds: [id], force: true }).catch((err) => log(`sources: run of #${id} failed: ${(err as Error).message}`));
        return c.redirect(back(`Running source #${id}; reload to see the run.`), 303);
      }
      const done = action === 'remove' ? await removeSource(db, id) : await setSourceEnabled(db, id, action === 'enable');
      const what = { enable: 'switched on', disable: 'switched off', remove: 'removed (its papers stay)' }[action as 'enable' | 'disable' | 'remove'];
      return c.redirect(back(done ? `Source #${id} ${what}.` : `There is no source #${id}.`), 303);
    });
}
