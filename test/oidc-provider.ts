/**
 * A real OpenID Connect provider for tests (the oidc-provider package, the one many identity servers are
 * built on) on a loopback port, with its own small sign-in page instead of the package's development one
 * (which loads web fonts from the internet): pick an account, press "Sign in", and the provider grants
 * `openid email profile` and redirects back with a code.
 */
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** An account of the test provider: its subject and the claims it vouches for. */
export interface ProviderAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/** A running provider. */
export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function loginPage(uid: string, accounts: Record<string, ProviderAccount>): string {
  const options = Object.entries(accounts).map(([sub, a]) => `<option value="${escape(sub)}">${escape(a.name ?? sub)} (${escape(a.email ?? 'no email')})</option>`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title>
<style>body{font-family:sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}label,select,button{display:block;margin:.5rem 0;font-size:1rem}button{padding:.5rem 1rem}</style></head>
<body><h1>Test identity provider</h1><form method="post" action="/interaction/${escape(uid)}/login">
<label for="account">Account</label><select id="account" name="account">${options.join('')}</select>
<button type="submit">Sign in</button></form></body></html>`;
}

async function formBody(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Starts a provider on 127.0.0.1 that knows one confidential client (`paperboy`) with these redirect URIs. */
export async function startOidcProvider(redirectUris: string[], accounts: Record<string, ProviderAccount>): Promise<TestOidcProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const clientSecret = 'test-client-secret-0123456789abcdef';
  const provider = new Provider(issuer, {
    clients: [{ client_id: 'paperboy', client_secret: clientSecret, redirect_uris: redirectUris, grant_types: ['authorization_code'], response_types: ['code'] }],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    async findAccount(_ctx: unknown, sub: string) {
      const account = accounts[sub];
      return account && { accountId: sub, claims: async () => ({ sub, ...account }) };
    },
  });
  const handle = provider.callback();
  server.on('request', async (req, res) => {
    const m = /^\/interaction\/([^/]+)(\/login)?$/.exec(req.url ?? '');
    if (!m) return handle(req, res);
    try {
      const interaction = await provider.interactionDetails(req, res);
      if (!m[2]) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(loginPage(interaction.uid, accounts));
        return;
      }
      const accountId = (await formBody(req)).get('account') ?? '';
      const grant = new provider.Grant({ accountId, clientId: 'paperboy' });
      grant.addOIDCScope('openid email profile');
      await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: false });
    } catch (err) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end(`interaction failed: ${(err as Error).message}`);
    }
  });
  return {
    issuer,
    clientId: 'paperboy',
    clientSecret,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * What a browser does at the provider without a browser: follows its redirects from the authorization URL,
 * signs in as `accountId` on its sign-in page, and returns the URL it finally redirects to (our callback).
 */
export async function authorizeAt(authorizationUrl: string, accountId: string): Promise<URL> {
  const jar = new Map<string, string>();
  const request = async (url: URL, init: RequestInit = {}) => {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    await res.arrayBuffer();
    return res;
  };
  let url = new URL(authorizationUrl);
  const origin = url.origin;
  for (let hop = 0; hop < 10; hop++) {
    if (url.origin !== origin) return url; // back to the relying party
    let res = await request(url);
    if (/^\/interaction\/[^/]+$/.test(url.pathname) && res.status === 200) {
      res = await request(new URL(`${url.pathname}/login`, origin), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ account: accountId }).toString() });
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`test provider: ${url} answered ${res.status} without a redirect`);
    url = new URL(location, origin);
  }
  throw new Error('test provider: too many redirects');
}
