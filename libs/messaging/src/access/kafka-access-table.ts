import { DEFAULT_NODE_IDS, deliveryTopic, Topics } from '@app/contracts';

/** The principal `npm run setup` uses: a broker super user, the only one that may change topics and ACLs. */
export const KAFKA_ADMIN_PRINCIPAL = 'admin';

/**
 * The operators' principal (`npm run dead-letter`): reads the dead-letter topic and writes records
 * back to the topics the exchange consumes, and its audit events. Not a super user: it cannot
 * read any other topic, nor change topics or ACLs.
 */
export const KAFKA_OPERATOR_PRINCIPAL = 'operator';

/** One service's Kafka identity: its SCRAM user name and the consumer group it runs in. */
export interface KafkaServicePrincipal {
  principal: string;
  /** The group ACL is on this prefix, so the service's own groups (and only those) are usable. */
  groupPrefix: string;
}

export type KafkaAclOperation = 'read' | 'write';

/** One line of the table: `principal` may `operation` the topic (or group) `name`. */
export interface KafkaAccessRule {
  principal: string;
  resource: 'topic' | 'group';
  name: string;
  /** `prefixed`: every resource whose name starts with `name`. */
  pattern: 'literal' | 'prefixed';
  operation: KafkaAclOperation;
}

/** The node principals are the node ids; the hub and the audit service have their own. */
export function kafkaServicePrincipals(
  nodeIds: readonly string[] = DEFAULT_NODE_IDS,
): KafkaServicePrincipal[] {
  return [
    { principal: 'hub', groupPrefix: 'hub' },
    { principal: 'audit', groupPrefix: 'audit' },
    // The web console reads and writes no topic; it only runs the platform's (idle) consumer.
    { principal: 'console', groupPrefix: 'console' },
    // Operators' commands, in throw-away groups that commit no offsets.
    { principal: KAFKA_OPERATOR_PRINCIPAL, groupPrefix: KAFKA_OPERATOR_PRINCIPAL },
    // A node's group is its adapter's name (`marac` is its own app, hence no suffix).
    ...nodeIds.map((nodeId) => ({
      principal: nodeId,
      groupPrefix: nodeId === 'marac' ? 'marac' : `${nodeId}-adapter`,
    })),
  ];
}

const topic = (
  principal: string,
  operation: KafkaAclOperation,
  name: string,
  pattern: KafkaAccessRule['pattern'] = 'literal',
): KafkaAccessRule => ({ principal, resource: 'topic', name, pattern, operation });

/**
 * Least privilege, as one table: everything a principal may do on the broker. Nothing else is
 * allowed (allow.everyone.if.no.acl.found=false); only the admin principal creates, alters or
 * deletes topics and ACLs. Every service may write the dead-letter topic: its record processor
 * parks there what it can never handle (see RecordProcessor), so nothing is lost.
 */
export function kafkaAccessRules(nodeIds: readonly string[] = DEFAULT_NODE_IDS): KafkaAccessRule[] {
  const groups = kafkaServicePrincipals(nodeIds).map(
    ({ principal, groupPrefix }): KafkaAccessRule => ({
      principal,
      resource: 'group',
      name: groupPrefix,
      pattern: 'prefixed',
      operation: 'read',
    }),
  );
  return [
    topic('hub', 'read', Topics.submissions),
    topic('hub', 'read', Topics.receipts),
    topic('hub', 'write', 'sgx.delivery.', 'prefixed'),
    topic('hub', 'write', Topics.quarantine),
    topic('hub', 'write', Topics.deadLetter),
    topic('hub', 'write', Topics.auditEvents),
    topic('audit', 'read', Topics.auditEvents),
    topic('audit', 'write', Topics.deadLetter),
    // Re-driving a dead letter writes it back to the topic it came from: every consumed topic.
    topic(KAFKA_OPERATOR_PRINCIPAL, 'read', Topics.deadLetter),
    topic(KAFKA_OPERATOR_PRINCIPAL, 'write', Topics.submissions),
    topic(KAFKA_OPERATOR_PRINCIPAL, 'write', Topics.receipts),
    topic(KAFKA_OPERATOR_PRINCIPAL, 'write', 'sgx.delivery.', 'prefixed'),
    topic(KAFKA_OPERATOR_PRINCIPAL, 'write', Topics.auditEvents),
    ...nodeIds.flatMap((nodeId) => [
      topic(nodeId, 'write', Topics.submissions),
      topic(nodeId, 'write', Topics.receipts),
      topic(nodeId, 'write', Topics.auditEvents),
      topic(nodeId, 'write', Topics.deadLetter),
      topic(nodeId, 'read', deliveryTopic(nodeId)),
    ]),
    ...groups,
  ];
}
