import { IncomingMessage, ServerResponse } from 'node:http';

import { describeError, isQueryError, serializeError } from '@app/messaging';
import { Params } from 'nestjs-pino';
import pino from 'pino';

import { BaseServiceEnv } from '../config/base-service.env';

const QUIET_PATHS = new Set(['/health', '/metrics']);

function pathOnly(url: string | undefined): string {
  // Query strings may carry identifiers; logs keep the path only.
  return (url ?? '').split('?')[0];
}

/**
 * pino makes a logged error's message the line's `msg` when none is given; a database error's
 * message quotes the value it refused, so such a line gets the serialized description instead.
 */
function withoutQueryErrorMessage(
  this: pino.Logger,
  args: Parameters<pino.LogFn>,
  method: pino.LogFn,
): void {
  const [first, ...rest] = args as unknown[];
  const error = isQueryError(first) ? first : (first as { err?: unknown } | null)?.err;
  if (isQueryError(error) && typeof rest[0] !== 'string') {
    return method.apply(this, [first as object, describeError(error)]);
  }
  return method.apply(this, args);
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
        // Every logged error, Nest's unhandled ones included: no query, parameters or values.
        err: serializeError,
      },
      hooks: { logMethod: withoutQueryErrorMessage },
      autoLogging: { ignore: (req) => QUIET_PATHS.has(pathOnly(req.url)) },
      // Standard output unless LOG_DESTINATION names a file (appended to, written synchronously).
      ...(env.LOG_DESTINATION === 'stdout'
        ? {}
        : { stream: pino.destination({ dest: env.LOG_DESTINATION, sync: true, append: true }) }),
    },
  };
}
