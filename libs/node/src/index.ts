export * from './identity/node-identity';
export * from './inbox/inbox-message.entity';
export * from './inbox/inbox.service';
export * from './node.module';
export * from './node-app.module';
export * from './config/node-service.env';
export * from './inbox/delivery-handler';
export * from './keys/node-keys.service';
export * from './keys/at-rest-sealer.service';
export * from './keys/hub-key-set.service';
export * from './outgoing/node-sender.service';
export * from './referrals/referral-quality';
export * from './webhook/webhook-signature';
export * from './missing-episodes/missing-episodes.module';
export * from './recipients/mark-recipient';
export * from './recipients/recipient-notice';
export * from './recipients/recipient-status';
export * from './recipients/refused-copies.service';
export type {
  MailboxCorrection,
  MailboxCorrectionEntry,
  MailboxItem,
  MailboxMessage,
} from './mailbox/mailbox-reads.service';
export * from './lists/newest-first-page';
export * from './lists/newest-first-page.query';
export type {
  MissingEpisodeSummary,
  MissingEpisodePage,
} from './missing-episodes/missing-episode-list.service';
export type {
  MissingEpisodeRecipientView,
  MissingEpisodeRecipientStatus,
} from './missing-episodes/missing-episode-status.service';
export type { MailboxThread, MailboxThreadUpdate } from './mailbox/mailbox-threads.service';
export type { ChildChronology, ChronologyEntry } from './chronology/child-chronology.service';
export type { ChildIdentity } from './chronology/child-identity';
export type { ReceivedReferralDecision } from './referrals/received-referral-reads.service';
export { SENT_MESSAGE_LOOKUP } from './corrections/sent-messages';
export type { SentMessage, SentMessageLookup } from './corrections/sent-messages';
