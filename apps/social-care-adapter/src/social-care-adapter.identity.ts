import { NodeIdentity } from '@app/node';

/** This adapter's node in the registry and the kind of agency it serves. */
export const SOCIAL_CARE_IDENTITY: NodeIdentity = {
  nodeId: 'social-care',
  agencyKind: 'social-care',
  description:
    "Children's social care node (MASH): receives referrals and notifications, sends referral outcomes and return home interview outcomes.",
};
