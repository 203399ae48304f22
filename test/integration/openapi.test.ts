import { join } from 'node:path';
import { Validator, type SpecData } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { createHttpApp } from '../../server/http/app.js';
import { buildOpenApi, openApiPath } from '../../server/http/openapi/document.js';
import { assertRoutesDescribed, mountedRoutes } from '../../server/http/openapi/mounted.js';
import { API_ROUTES, type ApiRoute } from '../../server/http/openapi/routes.js';
import { memoryLimiters } from '../../server/rate/limiter.js';
import { api } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';

const repoRoot = join(import.meta.dirname, '..', '..');
/** The route table is what is checked here, not the limits. */
const unlimited = memoryLimiters({ name: 'openapi-test', points: 1_000_000, durationSec: 60 });
type Doc = { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown; parameters?: { name: string; in: string }[] }>> };

describe('the OpenAPI document (GET /api/openapi.json)', () => {
  let server: TestServer;
  let doc: Doc;
  /** The real HTTP app, as the server builds it (with the web app's fallback when it is built). */
  const realApp = () =>
    createHttpApp({ services: server.services, log: server.log, registry: new Registry(), readiness: [], isDraining: () => false, webRoot: join(repoRoot, 'dist', 'client'),
      trustProxy: false, allowedOrigins: [], limits: { authPerIp: unlimited, sendsPerUser: unlimited } });

  before(async () => {
    server = await startServer();
    const res = await api<Doc>(server.url, 'GET', '/api/openapi.json');
    expect(res.status).to.equal(200);
    doc = res.body;
  });
  after(() => server.stop());

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(doc as unknown as SpecData);
    expect(result.errors ?? [], JSON.stringify(result.errors)).to.deep.equal([]);
    expect(result.valid).to.equal(true);
    expect(doc.openapi).to.equal('3.1.0');
    // The validator does refuse a broken document (a path item with an unknown operation).
    const broken = { ...doc, paths: { ...doc.paths, '/api/me': { fetch: {} } } };
    expect((await new Validator().validate(broken as unknown as SpecData)).valid).to.equal(false);
  });

  it('lists exactly the routes the Express app mounts', () => {
    const mounted = mountedRoutes(realApp())
      .map((r) => `${r.method} ${openApiPath(r.path).path}`)
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`))
      .sort();
    expect(mounted.length).to.be.greaterThan(30);
    expect(documented).to.deep.equal(mounted);
  });

  it('takes bodies and query parameters from the shared zod schemas', () => {
    const register = doc.paths['/api/auth/register']!.post!;
    expect(register.requestBody).to.deep.equal({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/RegisterIn' } } } });
    const history = doc.paths['/api/rooms/{id}/messages']!.get!;
    expect(history.parameters!.map((p) => `${p.in}:${p.name}`)).to.deep.equal(['path:id', 'query:after', 'query:before', 'query:limit']);
    const components = (doc as unknown as { components: { schemas: Record<string, { properties: Record<string, { maxLength?: number }> }> } }).components.schemas;
    expect(components.MessagePostIn!.properties.body!.maxLength).to.equal(8000);
  });

  it('a route mounted without an entry (and so without schemas) stops the app from being built', () => {
    const app = realApp();
    app.post('/api/undescribed', (_req, res) => {
      res.json({});
    });
    expect(() => assertRoutesDescribed(app, API_ROUTES)).to.throw(/POST \/api\/undescribed is mounted but not described/);
    const ghost: ApiRoute = { method: 'get', path: '/api/ghost', tag: 'x', summary: 'x', returns: [] };
    expect(() => assertRoutesDescribed(realApp(), [...API_ROUTES, ghost])).to.throw(/GET \/api\/ghost is described but not mounted/);
  });

  it('refuses a body schema that is not one of the shared ones', () => {
    const local: ApiRoute = { method: 'post', path: '/api/local', tag: 'x', summary: 'x', body: z.object({ a: z.string() }), returns: [] };
    expect(() => buildOpenApi([local], '0')).to.throw(/not exported from shared\/schemas/);
  });
});
