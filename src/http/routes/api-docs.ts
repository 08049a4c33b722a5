/** GET /api/openapi.json — the API as an OpenAPI 3.1 document — and GET /api, the same document as a page. */
import { createRoute, z } from '@hono/zod-openapi';
import { apiRouter, json, type OpenApiDocument } from '../api/openapi.ts';
import { apiDocsPage } from '../pages/api-docs.tsx';

const openApiJson = createRoute({
  method: 'get',
  path: '/openapi.json',
  tags: ['meta'],
  summary: 'This API as an OpenAPI 3.1 document',
  responses: { 200: json(z.looseObject({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) }), 'The document, generated from the schemas the handlers validate with.') },
});

/** Routes mounted at /api; `document` is the app's document, made once. */
export function apiDocsRoutes(document: () => OpenApiDocument) {
  return apiRouter()
    .openapi(openApiJson, (c) => c.json(document(), 200))
    .get('/', (c) => c.html(apiDocsPage(document())));
}
