const SECRET_KEYS = Symbol('secretEnvKeys');

/** Marks an environment variable whose value must never be printed (logs, errors, config dumps). */
export function Secret(): PropertyDecorator {
  return (target, propertyKey) => {
    const ctor = target.constructor as { [SECRET_KEYS]?: Set<string | symbol> };
    const keys = new Set(ctor[SECRET_KEYS] ?? []);
    keys.add(propertyKey);
    ctor[SECRET_KEYS] = keys;
  };
}

export function isSecret(envClass: object, key: string): boolean {
  const keys = (envClass as { [SECRET_KEYS]?: Set<string | symbol> })[SECRET_KEYS];
  return keys?.has(key) ?? false;
}
