import { Get, Param, Query, Render, Res } from '@nestjs/common';
import { Response } from 'express';

import { ConsolePages, CurrentSession, NeedsRole } from '../pages/console-page.decorators';
import { PageNotFoundError } from '../pages/page-errors';
import { formErrors, NO_ERRORS } from '../presentation/form-errors';
import { FormPost, text } from '../presentation/form-values';
import { ActiveSession } from '../session/console-sessions.service';
import { DisclosurePages, SUBJECT_REF, SUBJECT_REF_ERROR } from './disclosure-pages.service';

/**
 * "Who has received data about this subject" (issue 16 item 2): asked by the subject reference
 * the exchange gave the child, answered from the trail by the audit API.
 */
@ConsolePages('audit/disclosures')
@NeedsRole('auditor')
export class DisclosurePagesController {
  constructor(private readonly pages: DisclosurePages) {}

  /** The question; a valid reference goes to its answer's page (post/redirect/get for a GET form). */
  @Get()
  ask(@Query() query: FormPost, @Res() response: Response): void {
    const subjectRef = text(query, 'subjectRef');
    if (!('subjectRef' in query)) {
      response.render('audit-disclosures', {
        pageTitle: 'Who has received data about a child',
        navActive: 'audit',
        auditSection: 'disclosures',
        values: { subjectRef: '' },
        errors: NO_ERRORS,
        answer: null,
      });
      return;
    }
    if (!SUBJECT_REF.test(subjectRef)) {
      response.status(400).render('audit-disclosures', {
        pageTitle: 'Error: Who has received data about a child',
        navActive: 'audit',
        auditSection: 'disclosures',
        values: { subjectRef },
        errors: formErrors({ subjectRef: SUBJECT_REF_ERROR }, ['subjectRef']),
        answer: null,
      });
      return;
    }
    response.redirect(303, `/audit/disclosures/${encodeURIComponent(subjectRef)}`);
  }

  @Get(':subjectRef')
  @Render('audit-disclosures')
  async answer(@CurrentSession() session: ActiveSession, @Param('subjectRef') subjectRef: string) {
    // An address no form makes (the form checks the reference first): nothing here.
    if (!SUBJECT_REF.test(subjectRef)) throw new PageNotFoundError();
    return {
      pageTitle: 'Who has received data about a child',
      navActive: 'audit',
      auditSection: 'disclosures',
      values: { subjectRef },
      errors: NO_ERRORS,
      answer: await this.pages.of(session, subjectRef),
    };
  }
}
