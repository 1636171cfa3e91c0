import { ArgumentsHost, Logger, NotFoundException } from '@nestjs/common';

import { ApiConflictError, NodeFailedError } from '../node-api/node-api.client';
import { ConsolePageFilter, errorReference } from './console-page.filter';

interface Rendered {
  status: number;
  view: string;
  page: { status: number; paragraphs: string[]; reference?: string };
}

function render(error: unknown): Rendered {
  const rendered = {} as Rendered;
  const response = {
    status(status: number) {
      rendered.status = status;
      return this;
    },
    render(view: string, page: Rendered['page']) {
      rendered.view = view;
      rendered.page = page;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as ArgumentsHost;
  new ConsolePageFilter().catch(error, host);
  return rendered;
}

describe('the page for anything the node cannot show', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['a node answering 5xx', new NodeFailedError('GET', '127.0.0.1:3002', 500)],
    ['an item sealed to a key the node lost (409 on a read)', new ApiConflictError({})],
    ['a failure of the console itself', new TypeError('cannot read name of undefined')],
  ])('is the 500 page with a reference for %s, disclosing nothing', (_, error) => {
    const { status, view, page } = render(error);
    expect(status).toBe(500);
    expect(view).toBe('error');
    expect(page.reference).toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}$/);
    const shown = JSON.stringify(page);
    for (const secret of ['127.0.0.1', 'answered', 'undefined', 'at ', 'Error']) {
      expect(shown).not.toContain(secret);
    }
  });

  it('logs the reference with the cause, so the service desk can find it', () => {
    const log = jest.spyOn(Logger.prototype, 'error');
    const { page } = render(new NodeFailedError('GET', 'node:3002', 502));
    expect(log).toHaveBeenCalledWith(`reference ${page.reference}: GET node:3002 answered 502`);
  });

  it('gives each failure its own reference', () => {
    expect(new Set(Array.from({ length: 50 }, errorReference)).size).toBe(50);
  });

  it('keeps a page that does not exist the 404 page, without a reference', () => {
    const { status, page } = render(new NotFoundException());
    expect(status).toBe(404);
    expect(page.reference).toBeUndefined();
  });
});
