import { AgencyKind } from '@app/policy';

/** What makes one adapter different from the others: which node and agency kind it is. */
export interface NodeIdentity {
  /** Registry node id; also names the node's delivery topic. */
  nodeId: string;
  agencyKind: AgencyKind;
  /** Who uses this node, for the OpenAPI document. */
  description: string;
}

export const NODE_IDENTITY = Symbol('NODE_IDENTITY');
