import { IncomingMessage, ServerResponse } from 'node:http';

import { Params } from 'nestjs-pino';

import { BaseServiceEnv } from '../config/base-service.env';

const QUIET_PATHS = new Set(['/health', '/metrics']);

function pathOnly(url: string | undefined): string {
  // Query strings may carry identifiers; logs keep the path only.
  return (url ?? '').split('?')[0];
}

/**
 * Structured JSON logs. Requests are logged as method, path, status and duration: no headers,
 * no bodies, no query strings, so no token or personal data reaches a log line.
 */
export function loggerOptions(serviceName: string, env: BaseServiceEnv): Params {
  return {
    pinoHttp: {
      level: env.LOG_LEVEL,
      base: { service: serviceName },
      messageKey: 'msg',
      redact: { paths: ['req.headers', 'res.headers', 'body'], remove: true },
      serializers: {
        req: (req: IncomingMessage & { id?: unknown }) => ({
          id: req.id,
          method: req.method,
          path: pathOnly(req.url),
        }),
        res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => QUIET_PATHS.has(pathOnly(req.url)) },
    },
  };
}
