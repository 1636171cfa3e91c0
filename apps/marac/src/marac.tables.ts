import { CreateMaracCases1764150000000 } from './migrations/1764150000000-create-marac-cases';
import { MaracThroughHub1764191100000 } from './migrations/1764191100000-marac-through-hub';
import { SendReferralDecisions1764192100000 } from './migrations/1764192100000-send-referral-decisions';
import { SealResearchAnswers1764194200000 } from './migrations/1764194200000-seal-research-answers';
import { SealMaracStructuredData1764194300000 } from './migrations/1764194300000-seal-marac-structured-data';
import { AddResearchTombstones1764195000000 } from './migrations/1764195000000-add-research-tombstones';

/**
 * The MARAC's own tables, after the inbox every node has. No entities: cases, deadlines and the
 * outgoing messages are written with explicit SQL so that locks (FOR UPDATE SKIP LOCKED) and the
 * state transitions that make escalation happen once are visible in one place, as in audit.
 */
export const MARAC_TABLES = {
  entities: [],
  migrations: [
    CreateMaracCases1764150000000,
    MaracThroughHub1764191100000,
    SendReferralDecisions1764192100000,
    SealResearchAnswers1764194200000,
    SealMaracStructuredData1764194300000,
    AddResearchTombstones1764195000000,
  ],
};
