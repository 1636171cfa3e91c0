import { Get, Render } from '@nestjs/common';

import { MailboxPages } from '../mailbox/mailbox-pages.service';
import { ActiveSession } from '../session/console-sessions.service';
import { ConsolePages, CurrentSession } from './console-page.decorators';

/** The signed-in person's starting point: what they may work on. */
@ConsolePages()
export class HomeController {
  constructor(private readonly mailboxes: MailboxPages) {}

  @Get()
  @Render('home')
  home(@CurrentSession() session: ActiveSession) {
    return {
      pageTitle: 'Your work',
      navActive: 'home',
      mailboxes: this.mailboxes.mailboxesOf(session),
      // A person at an agency's node (the police control room) follows what it sent.
      controlRoom: session.person.roles.includes('agency-system'),
      administrator: session.person.roles.includes('admin'),
      // The partnership board: auditors and administrators.
      partnershipBoard: session.person.roles.some((role) => role === 'auditor' || role === 'admin'),
      marac: session.person.roles.includes('marac-coordinator'),
      // An auditor reads the trail's metadata: searches, stories, verification, disclosures.
      auditor: session.person.roles.includes('auditor'),
    };
  }
}
