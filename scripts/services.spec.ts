import { validateEnv } from '@app/platform';

import { SERVICES } from './services';

/**
 * An environment holds strings: every setting a service documents must be accepted as the
 * string of its own default (a number without a declared type is not converted and would stop
 * the service from starting once an operator sets it).
 */
describe('service settings from the environment', () => {
  it.each(SERVICES.map((service) => [service.name, service.env] as const))(
    '%s accepts each setting given as a string',
    (_name, envClass) => {
      const defaults = validateEnv(envClass, {}) as unknown as Record<string, unknown>;
      const asStrings = Object.fromEntries(
        Object.entries(defaults)
          .filter(([, value]) => ['number', 'boolean', 'string'].includes(typeof value))
          .map(([key, value]) => [key, String(value)]),
      );
      expect(validateEnv(envClass, asStrings)).toEqual(defaults);
    },
  );
});
