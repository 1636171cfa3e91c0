import { deliveryTopic, Topics } from './topic-names';

/** How a topic is created: explicit partitions and configs, never broker auto-creation. */
export interface TopicSpec {
  topic: string;
  numPartitions: number;
  configEntries: { name: string; value: string }[];
}

const SEVEN_DAYS_MS = String(7 * 24 * 60 * 60 * 1000);
const NINETY_DAYS_MS = String(90 * 24 * 60 * 60 * 1000);

function spec(topic: string, numPartitions: number, retentionMs: string): TopicSpec {
  return {
    topic,
    numPartitions,
    configEntries: [
      { name: 'cleanup.policy', value: 'delete' },
      { name: 'retention.ms', value: retentionMs },
      // A record is a JWS or JWE; the exchange refuses anything over 1 MiB before it gets here.
      { name: 'max.message.bytes', value: String(2 * 1024 * 1024) },
    ],
  };
}

/** The node ids that have a delivery topic; the registry is the source of truth from the trust layer on. */
export const DEFAULT_NODE_IDS = ['police', 'education', 'health', 'social-care', 'marac'] as const;

/**
 * The topics the exchange needs. Partitions are keyed by subjectRef, so one subject's
 * messages stay in order while different subjects spread across consumers.
 */
export function exchangeTopicSpecs(nodeIds: readonly string[] = DEFAULT_NODE_IDS): TopicSpec[] {
  return [
    spec(Topics.submissions, 6, SEVEN_DAYS_MS),
    spec(Topics.receipts, 6, SEVEN_DAYS_MS),
    spec(Topics.auditEvents, 6, SEVEN_DAYS_MS),
    spec(Topics.deadLetter, 1, NINETY_DAYS_MS),
    spec(Topics.quarantine, 1, NINETY_DAYS_MS),
    ...nodeIds.map((nodeId) => spec(deliveryTopic(nodeId), 3, SEVEN_DAYS_MS)),
  ];
}
