import type { RequestHandler } from 'express';
import helmet from 'helmet';
import cors from 'cors';
import type { ServerOptions } from 'socket.io';
import type { Config } from '../config.js';

/**
 * Security headers for every response. The CSP keeps helmet's defaults (scripts and styles
 * from this origin only) with two openings the board needs: inline `style` attributes, which
 * the body renderer emits for [color]/[size] (sanitized, style-src 'unsafe-inline' is helmet's
 * default), and post images from any http(s) host ([img]). No upgrade-insecure-requests: the
 * server may be served over plain HTTP on a LAN or behind a TLS proxy that does it.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        'img-src': ["'self'", 'data:', 'https:', 'http:'],
        'connect-src': ["'self'"],
        'upgrade-insecure-requests': null,
      },
    },
  });
}

/** CORS for REST: only CORS_ORIGINS (none by default: same-origin only). */
export function restCors(config: Config): RequestHandler {
  return cors({
    origin: config.corsOrigins.length > 0 ? [...config.corsOrigins] : false,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    exposedHeaders: ['Retry-After'],
    maxAge: 600,
  });
}

/** The same allow-list for Socket.IO's HTTP long-polling transport (undefined: no CORS headers). */
export function socketCors(config: Config): ServerOptions['cors'] {
  return config.corsOrigins.length > 0 ? { origin: [...config.corsOrigins], methods: ['GET', 'POST'] } : undefined;
}
