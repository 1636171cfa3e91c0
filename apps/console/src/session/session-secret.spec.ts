import { newSessionSecret, seal, sessionIdHash, unseal } from './session-secret';

describe('session secrets', () => {
  it('stores neither the cookie value nor a readable token', () => {
    const secret = newSessionSecret();
    const sealed = seal(secret, 'eyJhbGciOiJFZERTQSJ9.access-token');
    expect(sessionIdHash(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(sessionIdHash(secret)).not.toContain(secret);
    expect(sealed).not.toContain('access-token');
    expect(unseal(secret, sealed)).toBe('eyJhbGciOiJFZERTQSJ9.access-token');
  });

  it('opens a sealed token only with the secret that sealed it', () => {
    const sealed = seal(newSessionSecret(), 'token');
    expect(() => unseal(newSessionSecret(), sealed)).toThrow();
  });
});
