import { Consumer, Kafka } from 'kafkajs';

import { ConsumerGroupMembership } from './consumer-group-membership';

/** kafkajs's own event names, from a consumer that never connects. */
const EVENTS = new Kafka({ brokers: ['127.0.0.1:1'] }).consumer({ groupId: 'spec' }).events;
const GRACE_MS = 60_000;

/** A consumer that emits what the test says, as kafkajs's instrumentation would. */
class FakeConsumer {
  readonly events = EVENTS;
  private readonly listeners = new Map<string, ((event: { payload: unknown }) => void)[]>();
  on(event: string, listener: (event: { payload: unknown }) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return () => undefined;
  }
  emit(event: string, payload: unknown = {}) {
    for (const listener of this.listeners.get(event) ?? []) listener({ payload });
  }
  get asConsumer(): Consumer {
    return this as unknown as Consumer;
  }
}

describe('ConsumerGroupMembership', () => {
  let clock: number;
  let membership: ConsumerGroupMembership;
  const joined = { groupId: 'hub', memberId: 'hub-consumer-1', leaderId: 'x', isLeader: false };

  beforeEach(() => {
    clock = Date.parse('2026-12-06T20:00:00Z');
    membership = new ConsumerGroupMembership('hub', GRACE_MS, () => clock);
  });

  it('is healthy while an app was never asked to consume (an in-process test app)', () => {
    clock += 10 * GRACE_MS;
    expect(membership.report()).toMatchObject({
      groupId: 'hub',
      state: 'not-a-member',
      healthy: true,
    });
  });

  it('is not a member while starting, healthy within the grace period, then joined', () => {
    membership.consuming();
    clock += GRACE_MS - 1;
    expect(membership.report()).toMatchObject({ state: 'not-a-member', healthy: true });
    const consumer = new FakeConsumer();
    membership.watch(consumer.asConsumer);
    consumer.emit(EVENTS.GROUP_JOIN, joined);
    expect(membership.report()).toEqual({
      groupId: 'hub',
      state: 'joined',
      since: new Date(clock).toISOString(),
      healthy: true,
    });
  });

  it('is unhealthy once the consumer has been no member for longer than the grace period (a broker that never answers)', () => {
    membership.consuming();
    clock += GRACE_MS + 1;
    expect(membership.report()).toMatchObject({ state: 'not-a-member', healthy: false });
  });

  it('allows a rebalance the grace period, a consumer that never rejoins is unhealthy', () => {
    const consumer = new FakeConsumer();
    membership.watch(consumer.asConsumer);
    consumer.emit(EVENTS.GROUP_JOIN, joined);
    clock += 5 * GRACE_MS;
    consumer.emit(EVENTS.REBALANCING, { groupId: 'hub', memberId: 'hub-consumer-1' });
    clock += GRACE_MS;
    expect(membership.report()).toMatchObject({ state: 'rebalancing', healthy: true });
    clock += 1;
    expect(membership.report()).toMatchObject({ state: 'rebalancing', healthy: false });
    consumer.emit(EVENTS.GROUP_JOIN, joined);
    expect(membership.report()).toMatchObject({ state: 'joined', healthy: true });
  });

  it('counts a crash, a stop or a disconnect as no membership, from that moment', () => {
    const consumer = new FakeConsumer();
    membership.watch(consumer.asConsumer);

    for (const left of [EVENTS.CRASH, EVENTS.STOP, EVENTS.DISCONNECT]) {
      consumer.emit(EVENTS.GROUP_JOIN, joined);
      consumer.emit(left, { error: new Error('gone'), groupId: 'hub', restart: true });
      const leftAt = new Date(clock).toISOString();
      clock += GRACE_MS;
      expect(membership.report()).toEqual({
        groupId: 'hub',
        state: 'not-a-member',
        since: leftAt,
        healthy: true,
      });
      clock += 1;
      expect(membership.report()).toMatchObject({ state: 'not-a-member', healthy: false });
    }
  });

  it('follows the consumer started afresh and ignores the late events of the one given up on', () => {
    const old = new FakeConsumer();
    membership.watch(old.asConsumer);
    old.emit(EVENTS.GROUP_JOIN, joined);
    old.emit(EVENTS.CRASH, { error: new Error('not retriable'), groupId: 'hub', restart: false });
    const fresh = new FakeConsumer();
    membership.watch(fresh.asConsumer);
    fresh.emit(EVENTS.GROUP_JOIN, { ...joined, memberId: 'hub-consumer-2' });
    old.emit(EVENTS.DISCONNECT);
    expect(membership.report()).toMatchObject({ state: 'joined', healthy: true });
  });

  it('reports the group id the consumer joined', () => {
    const consumer = new FakeConsumer();
    membership.watch(consumer.asConsumer);
    consumer.emit(EVENTS.GROUP_JOIN, { ...joined, groupId: 'hub-blue' });
    expect(membership.report().groupId).toBe('hub-blue');
  });
});
