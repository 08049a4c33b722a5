/** `GET /api/me`: the account a request acts as (session cookie or API token), for scripts and the JavaScript of pages. */
import { createRoute, z } from '@hono/zod-openapi';
import { apiRouter, errors, json, SIGNED_IN } from '../api/openapi.ts';
import { requireUser } from '../auth.ts';

/** The signed-in account, as `GET /api/me` returns it. */
export const MeJson = z
  .object({
    id: z.number().int(),
    email: z.string(),
    displayName: z.string().nullable(),
    role: z.enum(['admin', 'member']),
    createdAt: z.string(),
    hasPassword: z.boolean(),
    subscribed: z.boolean().meta({ description: 'The account receives the email digest.' }),
    authenticatedBy: z.enum(['session', 'api-token']).nullable(),
    token: z.object({ id: z.number().int(), name: z.string(), prefix: z.string() }).optional().meta({ description: 'The API token of this request, when it came with one.' }),
  })
  .openapi('Me');

const me = createRoute({
  method: 'get',
  path: '/me',
  tags: ['account'],
  summary: 'The account this request acts as',
  security: SIGNED_IN,
  responses: { 200: json(MeJson, 'The signed-in account.'), ...errors(401) },
});

/** Routes mounted at /api. */
export function meRoutes() {
  return apiRouter().openapi(me, (c) => {
    const user = requireUser(c);
    const credential = c.get('credential');
    return c.json(
      {
        id: user.id,
        email: user.email,
        displayName: user.displayName,
        role: user.role,
        createdAt: user.createdAt,
        hasPassword: user.hasPassword,
        subscribed: user.subscriberId !== null,
        authenticatedBy: credential?.via ?? null,
        ...(credential?.via === 'api-token' ? { token: { id: credential.token.id, name: credential.token.name, prefix: credential.token.prefix } } : {}),
      },
      200,
    );
  });
}
