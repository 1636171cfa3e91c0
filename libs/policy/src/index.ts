export * from './policy.types';
export * from './evaluate-policy';
export * from './minimise';
