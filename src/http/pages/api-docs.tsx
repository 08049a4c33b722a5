/**
 * The /api page: every endpoint of the JSON API grouped by tag — method, path, summary, parameters, body,
 * whether it needs an account, its answers — read from the same OpenAPI document /api/openapi.json serves,
 * so the page cannot list an endpoint the API does not have, or miss one.
 */
import { assetUrl } from '../assets/assets.ts';
import { type OpenApiDocument, TAGS } from '../api/openapi.ts';
import { Layout } from './layout.tsx';

/** The parts of a JSON Schema (as zod-to-openapi writes them) the page shows. */
interface Schema {
  $ref?: string;
  type?: string | string[];
  items?: Schema;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string }>;
}

/** One endpoint as the page lists it. */
interface Endpoint {
  method: string;
  path: string;
  operation: Operation;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** The endpoints of a document, grouped by their first tag, in the order of TAGS (unknown tags after). */
export function endpointsByTag(document: OpenApiDocument): { tag: string; description?: string; endpoints: Endpoint[] }[] {
  const groups = new Map<string, Endpoint[]>(TAGS.map((t) => [t.name, []]));
  for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, Operation>>)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const tag = operation.tags?.[0] ?? 'other';
      groups.set(tag, [...(groups.get(tag) ?? []), { method, path, operation }]);
    }
  }
  const described = new Map(TAGS.map((t) => [t.name, t.description]));
  return [...groups].filter(([, endpoints]) => endpoints.length > 0).map(([tag, endpoints]) => ({ tag, description: described.get(tag), endpoints }));
}

/** A schema in a few words: `integer 1–100`, `string ≤ 100`, `string[] ≤ 20`, `Collection`. */
function typeText(schema: Schema | undefined): string {
  if (!schema) return '';
  if (schema.$ref) return schema.$ref.split('/').pop() ?? '';
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (schema.anyOf) return schema.anyOf.map(typeText).join(' or ');
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t) => t && t !== 'null');
  const type = types.join(' or ') || 'any';
  const n = (value: number | undefined) => (value === undefined ? '…' : value.toLocaleString('en-US'));
  if (type === 'array') return `${typeText(schema.items).replace(/ ≤ \d+$/, '')}[]${schema.maxItems !== undefined ? ` ≤ ${schema.maxItems}` : ''}`;
  if (schema.minimum !== undefined || schema.maximum !== undefined) return `${type} ${n(schema.minimum)}–${n(schema.maximum)}`;
  if (schema.maxLength !== undefined) return schema.maxLength === 0 ? 'empty' : `${type} ≤ ${schema.maxLength}`;
  return type;
}

/** A description with its `code` spans (the document's Markdown, that much of it) as <code>. */
function Prose({ text }: { text?: string }) {
  if (!text) return null;
  return <>{text.split(/`([^`]+)`/).map((part, i) => (i % 2 ? <code>{part}</code> : part))}</>;
}

function Field({ name, where, required, schema, description }: { name: string; where?: string; required?: boolean; schema?: Schema; description?: string }) {
  return (
    <tr>
      <th scope="row">
        <code>{name}</code>
        {required && <span class="required"> required</span>}
      </th>
      {where !== undefined && <td class="in">{where}</td>}
      <td>
        <code class="type">{typeText(schema)}</code>
        {schema?.default !== undefined && <span class="muted"> · default {JSON.stringify(schema.default)}</span>}
      </td>
      <td>
        <Prose text={description ?? schema?.description} />
      </td>
    </tr>
  );
}

/** The JSON body's fields, from its schema (a named component looked up; alternatives, `anyOf`, listed together). */
function bodyFields(document: OpenApiDocument, operation: Operation): { fields: [string, Schema, boolean][]; note?: string } | undefined {
  const components = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const resolve = (schema: Schema | undefined) => (schema?.$ref ? (components[schema.$ref.split('/').pop() ?? ''] ?? schema) : schema);
  const schema = resolve(operation.requestBody?.content?.['application/json']?.schema);
  if (!schema) return undefined;
  const alternatives = schema.anyOf?.map(resolve) ?? [schema];
  const fields = alternatives.flatMap((alt) => Object.entries(alt?.properties ?? {}).map(([name, field]): [string, Schema, boolean] => [name, field, !schema.anyOf && !!alt?.required?.includes(name)]));
  return fields.length ? { fields, note: schema.anyOf ? (schema.description ?? 'One of these fields.') : schema.description } : undefined;
}

// Past this many, the table is folded behind its list of names (the list endpoints share nine).
const FOLD_AFTER = 4;

function Parameters({ parameters }: { parameters: Parameter[] }) {
  if (parameters.length === 0) return null;
  const table = (
    <div class="table-scroll">
      <table class="fields">
        <caption class="sr-only">Parameters</caption>
        <thead>
          <tr>
            <th scope="col">Parameter</th>
            <th scope="col">In</th>
            <th scope="col">Type</th>
            <th scope="col">Meaning</th>
          </tr>
        </thead>
        <tbody>
          {parameters.map((p) => (
            <Field name={p.name} where={p.in} required={p.required} schema={p.schema} description={p.description} />
          ))}
        </tbody>
      </table>
    </div>
  );
  if (parameters.length <= FOLD_AFTER) return table;
  return (
    <details class="parameters">
      <summary>
        {parameters.length} parameters: {parameters.map((p) => p.name).join(', ')}
      </summary>
      {table}
    </details>
  );
}

function EndpointEntry({ document, endpoint }: { document: OpenApiDocument; endpoint: Endpoint }) {
  const { method, path, operation } = endpoint;
  const body = bodyFields(document, operation);
  const id = `${method}-${path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}`;
  return (
    <article class="endpoint" id={id} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>
        <span class={`method method-${method}`}>{method.toUpperCase()}</span> <code class="path">{path}</code>
        {operation.security?.length ? <span class="auth-badge">Needs an account</span> : null}
      </h3>
      {operation.summary && <p class="summary-line">{operation.summary}</p>}
      {operation.description && (
        <p class="muted">
          <Prose text={operation.description} />
        </p>
      )}
      <Parameters parameters={operation.parameters ?? []} />
      {body ? (
        <div class="table-scroll">
          <table class="fields">
            <caption>
              JSON body{body.note ? ': ' : ''}
              <Prose text={body.note} />
            </caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Type</th>
                <th scope="col">Meaning</th>
              </tr>
            </thead>
            <tbody>
              {body.fields.map(([name, schema, required]) => (
                <Field name={name} required={required} schema={schema} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ul class="responses" aria-label="Answers">
        {Object.entries(operation.responses ?? {}).map(([status, response]) => (
          <li>
            <span class={`status status-${status[0]}xx`}>{status}</span> {response.description}
          </li>
        ))}
      </ul>
    </article>
  );
}

/** Renders the endpoint list. */
export function apiDocsPage(document: OpenApiDocument) {
  const groups = endpointsByTag(document);
  const count = groups.reduce((n, g) => n + g.endpoints.length, 0);
  return (
    <Layout title="JSON API" description="Every endpoint of Paperboy's JSON API." canonical="/api" section="api" head={<link rel="stylesheet" href={assetUrl('api.css')} />}>
      <header class="api-head">
        <p class="eyebrow">Programmatic access</p>
        <h1>JSON API</h1>
        <p class="lede">
          Every list and paper page has a JSON twin under <code>/api</code> with the same parameters, plus search and the actions of a signed-in reader. {count} endpoints; the
          whole API as an OpenAPI 3.1 document: <a href="/api/openapi.json">/api/openapi.json</a>.
        </p>
        <ul class="api-facts">
          <li>
            <strong>Needs an account</strong>: send a personal API token, <code>Authorization: Bearer pb_…</code> (create one on your <a href="/account">account page</a>), or
            call from a signed-in browser (then a POST, PATCH or DELETE also needs the <code>X-CSRF-Token</code> header).
          </li>
          <li>
            Errors are JSON too: <code>{'{"error": {"status": 400, "title": "Bad request", "message": "…"}}'}</code>. Something private to another account answers 404.
          </li>
        </ul>
        <nav class="api-toc" aria-label="Groups">
          <ul>
            {groups.map((g) => (
              <li>
                <a href={`#tag-${g.tag}`}>{g.tag}</a> <span class="muted">({g.endpoints.length})</span>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      {groups.map((g) => (
        <section class="api-group" id={`tag-${g.tag}`} aria-labelledby={`tag-${g.tag}-title`}>
          <h2 id={`tag-${g.tag}-title`}>{g.tag}</h2>
          {g.description && (
            <p class="muted">
              <Prose text={g.description} />
            </p>
          )}
          {g.endpoints.map((endpoint) => (
            <EndpointEntry document={document} endpoint={endpoint} />
          ))}
        </section>
      ))}
    </Layout>
  );
}
