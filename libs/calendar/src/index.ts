export * from './school-day-calendar';
export * from './working-day-calendar';
export * from './area-time';
