export * from './topics/topic-names';
export * from './topics/topic-specs';
export * from './cloudevents/cloud-event-headers';
export * from './audit-event/audit-event';
