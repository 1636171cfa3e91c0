export * from './policy.types';
export * from './evaluate-policy';
export * from './minimise';
export * from './calendar/school-day-calendar';
