import { NodeIdentity } from '@app/node';

/** This adapter's node in the registry and the kind of agency it serves. */
export const EDUCATION_IDENTITY: NodeIdentity = {
  nodeId: 'education',
  agencyKind: 'education',
  description:
    'Education node: school safeguarding leads read and acknowledge their mailbox; schools refer and receive outcome feedback.',
};
