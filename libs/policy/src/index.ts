export * from './policy.types';
export * from './evaluate-policy';
export * from './minimise';
export * from './load-policy';
export * from './rule-in-words';
