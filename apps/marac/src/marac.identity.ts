import { NodeIdentity } from '@app/node';

/** The MARAC is a node of its own: referrals and research responses are delivered to it. */
export const MARAC_IDENTITY: NodeIdentity = {
  nodeId: 'marac',
  agencyKind: 'marac',
  description:
    'MARAC coordination: referrals with DASH risk, meetings, information requests to member agencies, the research pack and actions.',
};
