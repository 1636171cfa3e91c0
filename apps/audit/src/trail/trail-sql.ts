/** SQL pieces every query over `audit_record` shares (partnership metrics, disclosures). */

/** The hub's node id (HUB_NODE_ID), the actor of every event the hub emits. */
export const HUB_ACTOR = 'hub';

/** A correlationId that is a UUID, as one (other ids, e.g. a case's, are not message ids). */
export const asUuid = (column: string) =>
  `CASE WHEN ${column} ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        THEN ${column}::uuid END`;
