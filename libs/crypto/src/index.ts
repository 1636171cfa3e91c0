export * from './algorithms';
export * from './node-keys';
export * from './jws';
export * from './jwe';
export * from './digest';
