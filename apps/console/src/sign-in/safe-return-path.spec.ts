import { safeReturnPath } from './safe-return-path';

describe('the path after signing in', () => {
  it('keeps a path on the console', () => {
    expect(safeReturnPath('/mailboxes/school-990101-dsl')).toBe('/mailboxes/school-990101-dsl');
  });

  it.each([
    '//evil.example',
    'https://evil.example/',
    '/\\evil.example',
    'javascript:alert(1)',
    '/sign-in/start',
    undefined,
    ['/'],
  ])('refuses %p and goes home instead', (value) => {
    expect(safeReturnPath(value)).toBe('/');
  });
});
