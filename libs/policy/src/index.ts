export * from './policy.types';
export * from './evaluate-policy';
export * from './minimise';
export * from './load-policy';
export * from './calendar/school-day-calendar';
export * from './calendar/working-day-calendar';
