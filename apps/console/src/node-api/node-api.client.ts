import { Injectable, Logger } from '@nestjs/common';
import { DependencyUnavailableError } from '@app/platform';

import { PageForbiddenError, PageNotFoundError, SignInRequiredError } from '../pages/page-errors';
import { ActiveSession } from '../session/console-sessions.service';

/** A 400 from an API: the field errors a form shows beside its fields. */
export class ApiRefusedError extends Error {
  constructor(readonly body: Record<string, unknown>) {
    super('refused by the API');
  }
}

/** A 409 from an API: the thing was already done (an outcome already sent, say). */
export class ApiConflictError extends Error {
  constructor(readonly body: Record<string, unknown>) {
    super('conflict at the API');
  }
}

/** A 5xx from an API: it could not answer; the page is the 500 page with a reference. */
export class NodeFailedError extends Error {
  constructor(method: string, host: string, status: number) {
    super(`${method} ${host} answered ${status}`);
  }
}

/**
 * Calls a node's or audit's existing API as the signed-in person, with the access token that
 * stays on the server. Every authorisation decision stays in those APIs; their answers become
 * the console's pages: 401 signs in again, 403 is the 403 page, 404 the 404 page.
 */
@Injectable()
export class NodeApiClient {
  private readonly logger = new Logger(NodeApiClient.name);

  async get<T>(session: ActiveSession, baseUrl: string, path: string): Promise<T> {
    return this.call<T>(session, baseUrl, path, { method: 'GET' });
  }

  async post<T>(session: ActiveSession, baseUrl: string, path: string, body: unknown): Promise<T> {
    return this.call<T>(session, baseUrl, path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
  }

  /**
   * A document an API makes (the MARAC pack's PDF), passed through as it came: its bytes and
   * content type. The same errors as any other call become the same pages.
   */
  async download(
    session: ActiveSession,
    baseUrl: string,
    path: string,
  ): Promise<{ body: Buffer; contentType: string }> {
    const response = await this.send(session, baseUrl, path, { method: 'GET' });
    if (!response.ok) await this.refuse(response, 'GET', baseUrl);
    return {
      body: Buffer.from(await response.arrayBuffer()),
      contentType: response.headers.get('content-type') ?? 'application/octet-stream',
    };
  }

  private async call<T>(
    session: ActiveSession,
    baseUrl: string,
    path: string,
    init: RequestInit,
  ): Promise<T> {
    const response = await this.send(session, baseUrl, path, init);
    if (!response.ok) await this.refuse(response, init.method ?? 'GET', baseUrl);
    return (await response.json().catch(() => ({}))) as T;
  }

  private async send(
    session: ActiveSession,
    baseUrl: string,
    path: string,
    init: RequestInit,
  ): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(new URL(path, baseUrl), {
        ...init,
        headers: { ...init.headers, authorization: `Bearer ${session.tokens.accessToken}` },
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new DependencyUnavailableError(
        'NODE_UNAVAILABLE',
        'This service cannot reach one of the exchange’s systems at the moment. Try again in a few minutes.',
        `${init.method} ${new URL(baseUrl).host} failed: ${(error as Error).message}`,
      );
    }
    // Only the method, host and status are logged: paths name mailboxes and message ids.
    if (response.status >= 500) {
      this.logger.warn(`${init.method} ${new URL(baseUrl).host} answered ${response.status}`);
    }
    return response;
  }

  /** An API's refusal as the console's page for it: always throws. */
  private async refuse(response: Response, method: string, baseUrl: string): Promise<never> {
    if (response.status === 401) throw new SignInRequiredError(true, '/');
    if (response.status === 403) throw new PageForbiddenError('role');
    if (response.status === 404) throw new PageNotFoundError();
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.status === 400 || response.status === 422) throw new ApiRefusedError(body);
    if (response.status === 409) throw new ApiConflictError(body);
    if (response.status === 503) {
      throw new DependencyUnavailableError(
        'NODE_UNAVAILABLE',
        'One of the exchange’s systems could not answer. Nothing was changed; try again in a few minutes.',
        `${method} ${new URL(baseUrl).host} answered ${response.status}`,
      );
    }
    throw new NodeFailedError(method, new URL(baseUrl).host, response.status);
  }
}
