import { NodeIdentity } from '@app/node';

/** This adapter's node in the registry and the kind of agency it serves. */
export const POLICE_IDENTITY: NodeIdentity = {
  nodeId: 'police',
  agencyKind: 'police',
  description:
    "Police node: the force's systems push domestic abuse incidents, missing episodes and MARAC referrals, and receive acknowledgements, outcomes and escalations.",
};
