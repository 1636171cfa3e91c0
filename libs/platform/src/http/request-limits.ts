import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { findInputHazards, stringHazard } from '@app/contracts';
import { NextFunction, Request, Response, urlencoded } from 'express';

export interface RequestLimits {
  /** Largest JSON body, in bytes; larger ones are answered 413 before they are parsed. */
  maxBodyBytes: number;
  /** Deepest nesting of arrays and objects; deeper bodies are answered 400 before parsing. */
  maxDepth: number;
  /**
   * Paths that also take HTML form posts (`application/x-www-form-urlencoded`, flat fields
   * only): the development issuer's OAuth endpoints, which that standard makes form-encoded.
   */
  formPaths?: string[];
}

/** A refusal at the boundary, answered in the shape of Nest's own (`statusCode`, `error`, `message`). */
class BoundaryRefusal extends Error {
  constructor(
    readonly status: number,
    readonly refusal: string | string[],
  ) {
    super(Array.isArray(refusal) ? refusal.join('; ') : refusal);
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
};

/**
 * Scans the raw body before JSON.parse sees it: nesting deeper than the limit (a body 10,000
 * deep took every POST to a 500 in the validator's recursion) is refused without being parsed.
 */
function depthGuard(maxDepth: number) {
  return (_request: unknown, _response: unknown, raw: Buffer): void => {
    let depth = 0;
    let inString = false;
    for (let index = 0; index < raw.length; index++) {
      const byte = raw[index];
      if (inString) {
        if (byte === 0x5c) index++;
        else if (byte === 0x22) inString = false;
      } else if (byte === 0x22) inString = true;
      else if (byte === 0x7b || byte === 0x5b) {
        if (++depth > maxDepth) {
          throw new BoundaryRefusal(400, `body is nested deeper than ${maxDepth} levels`);
        }
      } else if (byte === 0x7d || byte === 0x5d) depth--;
    }
  };
}

/**
 * After parsing and before any guard, pipe or handler: no prototype keys, control characters or
 * lone surrogates in the body, the query or the path (see findInputHazards), whatever the route.
 */
function refuseHazards(request: Request, _response: Response, next: NextFunction): void {
  const found = [
    ...pathHazards(request.path),
    ...findInputHazards(request.query, 'query'),
    ...(request.body !== undefined ? findInputHazards(request.body, 'body') : []),
  ];
  next(found.length > 0 ? new BoundaryRefusal(400, found) : undefined);
}

function pathHazards(path: string): string[] {
  try {
    return path
      .split('/')
      .map((segment) => decodeURIComponent(segment))
      .flatMap((segment) => {
        const hazard = stringHazard(segment);
        return hazard ? [`path ${hazard}`] : [];
      });
  } catch {
    return ['path is not valid percent-encoding'];
  }
}

/** body-parser's errors and ours as JSON refusals; anything else goes on to Nest. */
function answerRefusal(limits: RequestLimits) {
  return (error: unknown, _request: Request, response: Response, next: NextFunction): void => {
    const refusal = asRefusal(error, limits);
    if (!refusal) return next(error);
    response.status(refusal.status).json({
      statusCode: refusal.status,
      error: REASONS[refusal.status],
      message: refusal.refusal,
    });
  };
}

function asRefusal(error: unknown, limits: RequestLimits): BoundaryRefusal | null {
  if (error instanceof BoundaryRefusal) return error;
  const type = (error as { type?: unknown } | null)?.type;
  switch (type) {
    case 'entity.too.large':
      return new BoundaryRefusal(413, `body is larger than ${limits.maxBodyBytes} bytes`);
    case 'entity.parse.failed':
      return new BoundaryRefusal(400, 'body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new BoundaryRefusal(415, 'body must be JSON in UTF-8');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new BoundaryRefusal(400, 'body could not be read');
    default:
      // A BoundaryRefusal thrown inside body-parser's verify comes back wrapped.
      return error instanceof Error &&
        (error as { cause?: unknown }).cause instanceof BoundaryRefusal
        ? ((error as { cause?: unknown }).cause as BoundaryRefusal)
        : null;
  }
}

/**
 * Every service's HTTP boundary, before Nest routes a request: JSON bodies only (and flat forms
 * on `formPaths`), size-limited
 * and depth-limited before parsing, then free of prototype keys, control characters and lone
 * surrogates; every refusal a 4xx naming the rule, never the value. The app must be created
 * with `bodyParser: false` so this parser is the only one.
 */
export function applyRequestLimits(app: INestApplication, limits: RequestLimits): void {
  const express = app as NestExpressApplication;
  express.useBodyParser('json', {
    limit: limits.maxBodyBytes,
    verify: depthGuard(limits.maxDepth),
  });
  for (const formPath of limits.formPaths ?? []) {
    express.use(formPath, urlencoded({ extended: false, limit: limits.maxBodyBytes }));
  }
  express.use(refuseHazards);
  express.use(answerRefusal(limits));
}
