import { Consumer } from 'kafkajs';

export type MembershipState = 'joined' | 'rebalancing' | 'not-a-member';

export interface MembershipReport {
  groupId: string;
  state: MembershipState;
  /** When the consumer entered this state (ISO time). */
  since: string;
  /**
   * False once the consumer has been no member of its group, or rebalancing, for longer than the
   * grace period.
   */
  healthy: boolean;
}

/**
 * Whether the service's Kafka consumer is a member of its consumer group, from the consumer's
 * own events: GROUP_JOIN (joined), REBALANCING (its group is rebalancing; a member rejoining),
 * CRASH, STOP and DISCONNECT (no member). A service whose consumer left its group consumes
 * nothing while its broker checks stay green — the fault run saw that — so /health reports it,
 * and a consumer that is no member, or still rejoining, for longer than the grace period makes
 * the service unhealthy (the full fault run saw a group Empty while its consumers had last said
 * "rebalancing, re-joining"). The grace period covers a normal (re)start or rebalance: the
 * consumer joins within seconds, a rebalance ends within the session timeout.
 * Only the consumer last watched counts: one started afresh replaces the one given up on, whose
 * late events are ignored. An app never asked to consume (a test's in-process app) is not made
 * unhealthy: the grace period runs from `consuming()`, which the service's start calls.
 */
export class ConsumerGroupMembership {
  private state: MembershipState = 'not-a-member';
  private since: number;
  private current: Consumer | null = null;
  private expected = false;

  constructor(
    private groupId: string,
    private readonly graceMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.since = now();
  }

  /** The service starts its consumer now (retrying while the broker is away). */
  consuming(): void {
    if (this.expected) return;
    this.expected = true;
    this.since = this.now();
  }

  watch(consumer: Consumer): void {
    this.consuming();
    this.current = consumer;
    this.enter('not-a-member');
    const { events } = consumer;
    const mine =
      <T>(handle: (event: T) => void) =>
      (event: T) => {
        if (this.current === consumer) handle(event);
      };
    consumer.on(
      events.GROUP_JOIN,
      mine(({ payload }) => {
        this.groupId = payload.groupId;
        this.enter('joined');
      }),
    );
    consumer.on(
      events.REBALANCING,
      mine(({ payload }) => {
        this.groupId = payload.groupId;
        this.enter('rebalancing');
      }),
    );
    for (const left of [events.CRASH, events.STOP, events.DISCONNECT] as const) {
      consumer.on(
        left,
        mine(() => this.enter('not-a-member')),
      );
    }
  }

  report(): MembershipReport {
    return {
      groupId: this.groupId,
      state: this.state,
      since: new Date(this.since).toISOString(),
      healthy: !this.expected || this.state === 'joined' || this.now() - this.since <= this.graceMs,
    };
  }

  /** A state entered again keeps its start: the grace period runs from the first. */
  private enter(state: MembershipState): void {
    if (state === this.state) return;
    this.state = state;
    this.since = this.now();
  }
}
