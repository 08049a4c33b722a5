/**
 * Single sign-on with OpenID Connect (openid-client): the authorization code flow with PKCE, state and
 * nonce; the provider is found by discovery at OIDC_ISSUER (once, then cached; tried again after a failure).
 * What comes back is matched to an account by the provider's (issuer, subject) pair, else by a verified
 * address — an address the provider does not vouch for never signs into an existing account. New accounts
 * follow REGISTRATION, except that with OIDC_ALLOWED_DOMAINS set the provider's users of those domains may
 * join (a lab keeps email sign-up by invitation and lets its own people in); `closed` admits nobody new.
 */
import * as oidc from 'openid-client';
import type { AccountsConfig } from '../config.ts';
import { isRebindingProofHost } from '../http/security.ts';
import * as repo from './accounts.repo.ts';
import { createUser, emailDomainAllowed, joinSubscription, whyNoSignUp, type AccountContext } from './accounts.service.ts';
import { toUser, type User } from './user.ts';

type OidcSettings = NonNullable<AccountsConfig['oidc']>;

/** What the browser keeps between leaving for the provider and coming back (in a short-lived cookie). */
export interface PendingSignOn {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

const discovered = new Map<string, Promise<oidc.Configuration>>();

/** The provider's configuration (discovered once per issuer and client). */
function providerConfig(settings: OidcSettings): Promise<oidc.Configuration> {
  const key = `${settings.issuer}\n${settings.clientId}`;
  let found = discovered.get(key);
  if (!found) {
    const issuer = new URL(settings.issuer);
    // Plain http only for a provider on this machine (tests, development); anything else must be https.
    const insecure = issuer.protocol === 'http:' && isRebindingProofHost(issuer.hostname);
    found = oidc.discovery(issuer, settings.clientId, settings.clientSecret, undefined, insecure ? { execute: [oidc.allowInsecureRequests] } : undefined);
    discovered.set(key, found);
    found.catch(() => discovered.delete(key));
  }
  return found;
}

/** The provider's sign-in URL for this browser, and what to keep until it comes back. */
export async function beginSignOn(settings: OidcSettings, redirectUri: string, next: string): Promise<{ url: string; pending: PendingSignOn }> {
  const config = await providerConfig(settings);
  const pending: PendingSignOn = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier(), next };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: 'S256',
  });
  return { url: url.href, pending };
}

/** Why single sign-on did not sign anyone in, in words for the sign-in page. */
export type SignOnRefusal = 'failed' | 'unverified' | 'domain' | 'not-allowed' | 'suspended';

/**
 * Finishes the flow: exchanges the code (checking state, nonce and PKCE), reads who it is, and finds or makes
 * the account. `callbackUrl` is the full URL the provider redirected to, on PUBLIC_BASE_URL.
 */
export async function finishSignOn(ctx: AccountContext, settings: OidcSettings, callbackUrl: URL, pending: PendingSignOn, now = new Date()): Promise<User | SignOnRefusal> {
  let claims: { sub: string; email?: unknown; email_verified?: unknown; name?: unknown };
  try {
    const config = await providerConfig(settings);
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
    claims = tokens.claims()!;
    if (claims.email === undefined) claims = { ...claims, ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)) };
  } catch {
    return 'failed';
  }
  const issuer = settings.issuer;
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : undefined;
  const verified = claims.email_verified === true || claims.email_verified === 'true';
  let row = await repo.findUserByIdentity(ctx.db, issuer, claims.sub);
  if (!row) {
    if (!email || !verified) return 'unverified';
    if (!emailDomainAllowed(settings.allowedDomains, email) || !emailDomainAllowed(ctx.accounts.allowedEmailDomains, email)) return 'domain';
    row = await repo.findUserByEmail(ctx.db, email);
    if (!row) {
      const admitted = settings.allowedDomains.length > 0 && ctx.accounts.registration !== 'closed';
      if (!admitted && whyNoSignUp(ctx.accounts, email, false)) return 'not-allowed';
      const name = typeof claims.name === 'string' ? claims.name.slice(0, 80) : null;
      await createUser(ctx, { email, displayName: name }, now);
      row = (await repo.findUserByEmail(ctx.db, email))!;
    }
    await repo.linkIdentity(ctx.db, { issuer, subject: claims.sub, userId: row.id, email, now: now.toISOString() });
  }
  if (row.status !== 'active') return 'suspended';
  const user = toUser(row);
  return verified && email === user.email ? joinSubscription(ctx.db, user) : user;
}
