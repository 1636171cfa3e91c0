import { readFileSync } from 'node:fs';
import path from 'node:path';

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

describe('service settings are documented', () => {
  const root = path.join(__dirname, '..');
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const example = readFileSync(path.join(root, '.env.example'), 'utf8');

  it.each(SERVICES.map((service) => [service.name, service.env] as const))(
    "%s: every setting is in the README's configuration table and in .env.example",
    (_name, envClass) => {
      const settings = Object.keys(new envClass());
      expect(settings.filter((key) => !readme.includes(`\`${key}\``))).toEqual([]);
      expect(settings.filter((key) => !new RegExp(`^#? ?${key}=`, 'm').test(example))).toEqual([]);
    },
  );
});
