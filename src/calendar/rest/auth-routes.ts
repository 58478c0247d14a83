// Token authentication of the REST API (DESIGN.md section 3: "POST /api/v2/auth/token trades a password for
// a token, used as Authorization: Token <t>"). Every route but token issue (and the OpenAPI document)
// needs a valid token; `Bearer <t>` (RFC 6750 section 2.1) is accepted as a synonym.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidJidError, normalizeLocalpart } from '../../jid/index.js';
import { ValidationError } from '../model/errors.js';
import type { ApiContext } from './api-context.js';
import { UnauthorizedError } from './errors.js';
import { ErrorBody, IssuedToken, TokenRequest, User } from './schemas.js';
import { RequestRateLimiter } from './rate-limit.js';

const SCHEME = /^(?:Token|Bearer)\s+(\S+)\s*$/i;

export function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return typeof header === 'string' ? SCHEME.exec(header)?.[1] : undefined;
}

/** Usernames are JID localparts, normalised by RFC 7622 section 3.3 (PRECIS UsernameCaseMapped). */
export function normaliseUsername(raw: string, field: string): string {
  try {
    return normalizeLocalpart(raw);
  } catch (err) {
    if (err instanceof InvalidJidError) throw new ValidationError(field, `is not a valid username (${err.reason})`);
    throw err;
  }
}

export function installAuthentication(app: FastifyInstance, ctx: ApiContext): void {
  const limiter = ctx.deps.requestsPerMinute ? new RequestRateLimiter(ctx.deps.requestsPerMinute) : undefined;
  app.addHook('onRequest', async (request, reply) => {
    if (request.is404 || (request.routeOptions.config as { public?: boolean }).public) return;
    const token = tokenOf(request);
    if (token === undefined) throw new UnauthorizedError('send Authorization: Token <token>');
    const username = await ctx.deps.tokens.verify(token);
    if (username === undefined) throw new UnauthorizedError('the token is unknown, expired or revoked');
    if (limiter && !limiter.take(token)) {
      return reply
        .code(429)
        .header('Retry-After', String(limiter.retryAfterSeconds()))
        .type('application/json; charset=utf-8')
        .send({ error: 'rate_limited', message: 'too many requests for this token; retry later' });
    }
    ctx.setUser(request, username);
  });
}

export function authRoutes(app: FastifyInstance, ctx: ApiContext): void {
  ctx.table.add(app, {
    method: 'POST',
    url: '/auth/token',
    operationId: 'issueToken',
    summary: 'Trade a username and password for a token',
    tag: 'auth',
    public: true,
    body: TokenRequest,
    responses: {
      201: { description: 'The token; only its hash is stored', schema: IssuedToken },
      401: { description: 'Wrong username or password', schema: ErrorBody },
    },
    handler: async (request, reply) => {
      const body = request.body as { username: string; password: string; label?: string; ttl_seconds?: number };
      let username: string;
      try {
        username = normaliseUsername(body.username, 'username');
      } catch {
        throw new UnauthorizedError('wrong username or password');
      }
      if (!(await ctx.deps.accounts.verifyPassword(username, body.password))) throw new UnauthorizedError('wrong username or password');
      const issued = await ctx.deps.tokens.issue(username, { label: body.label, ttlSeconds: body.ttl_seconds });
      reply.code(201);
      return { token: issued.token, id: issued.id, username: issued.username, expires_at: issued.expiresAt?.toISOString() ?? null };
    },
  });

  ctx.table.add(app, {
    method: 'DELETE',
    url: '/auth/token',
    operationId: 'revokeToken',
    summary: 'Revoke the token this request presents',
    tag: 'auth',
    responses: { 204: { description: 'Revoked' } },
    handler: async (request, reply) => {
      await ctx.deps.tokens.revoke(tokenOf(request)!);
      reply.code(204);
      return undefined;
    },
  });

  ctx.table.add(app, {
    method: 'GET',
    url: '/users/me',
    operationId: 'getMe',
    summary: 'The user the token belongs to',
    tag: 'users',
    responses: { 200: { description: 'The user', schema: User } },
    handler: async (request) => ({ username: ctx.user(request) }),
  });
}
