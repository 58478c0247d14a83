// Cross-origin access to the REST API (Fetch standard CORS): browsers on an allowed origin may call
// /api/v2 with the Authorization header; preflights are answered without a token.

import type { FastifyInstance } from 'fastify';

export function installCors(app: FastifyInstance, corsOrigin: (origin: string | undefined) => string | undefined): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const allowed = corsOrigin(request.headers.origin);
    if (allowed) {
      reply.header('Access-Control-Allow-Origin', allowed);
      reply.header('Access-Control-Expose-Headers', 'ETag, Location');
      if (allowed !== '*') reply.header('Vary', 'Origin');
    }
    return payload;
  });
  app.route({
    method: 'OPTIONS',
    url: '/*',
    config: { public: true },
    handler: async (request, reply) => {
      if (!corsOrigin(request.headers.origin)) return reply.code(403).send({ error: 'forbidden', message: 'origin not allowed' });
      reply.header('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
      reply.header('Access-Control-Allow-Headers', 'Authorization, Content-Type, If-Match');
      reply.header('Access-Control-Max-Age', '600');
      return reply.code(204).send();
    },
  });
}
