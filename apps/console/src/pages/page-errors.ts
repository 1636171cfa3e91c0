/** No live session: the browser goes to the sign-in page, told whether its session ended. */
export class SignInRequiredError extends Error {
  constructor(
    readonly expired: boolean,
    readonly returnTo: string,
  ) {
    super(expired ? 'session ended' : 'not signed in');
  }
}

/** The 403 page: a missing role or a form without its session's CSRF token. */
export class PageForbiddenError extends Error {
  constructor(readonly reason: 'role' | 'csrf') {
    super(`forbidden (${reason})`);
  }
}

/**
 * The 404 page: nothing here, or nothing for this person. Another school's mailbox and a
 * mailbox that does not exist get the same page.
 */
export class PageNotFoundError extends Error {
  constructor() {
    super('not found');
  }
}
