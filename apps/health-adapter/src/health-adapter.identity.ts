import { NodeIdentity } from '@app/node';

/** This adapter's node in the registry and the kind of agency it serves. */
export const HEALTH_IDENTITY: NodeIdentity = {
  nodeId: 'health',
  agencyKind: 'health',
  description:
    'Health node: health visitors, school nurses, GP and hospital safeguarding teams; MARAC research responses.',
};
