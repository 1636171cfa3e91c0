import { childIdentityOf, childKey } from './child-identity';

describe('the child a view names, for matching inside the node', () => {
  it('reads child.name and child.dateOfBirth, and nothing from a view without them', () => {
    expect(childIdentityOf({ child: { name: 'Cara Smith', dateOfBirth: '2016-06-01' } })).toEqual({
      name: 'Cara Smith',
      dateOfBirth: '2016-06-01',
    });
    expect(childIdentityOf({ withdrawnBy: 'mother' })).toBeNull();
    expect(childIdentityOf({ child: { name: ' ', dateOfBirth: '2016-06-01' } })).toBeNull();
    expect(childIdentityOf({ child: { name: 'Cara Smith' } })).toBeNull();
    expect(childIdentityOf(null)).toBeNull();
  });

  it('keys one child the same however her name is cased, spaced or accented', () => {
    const key = childKey({ name: 'Zoë  O’Neill-Smith', dateOfBirth: '2016-06-01' });
    expect(childKey({ name: 'zoe o neill smith', dateOfBirth: '2016-06-01' })).toBe(key);
    expect(childKey({ name: 'ZOË O’NEILL SMITH ', dateOfBirth: '2016-06-01T00:00:00Z' })).toBe(key);
  });

  it('keeps two children apart by name or by date of birth', () => {
    const key = childKey({ name: 'Cara Smith', dateOfBirth: '2016-06-01' });
    expect(childKey({ name: 'Cara Smyth', dateOfBirth: '2016-06-01' })).not.toBe(key);
    expect(childKey({ name: 'Cara Smith', dateOfBirth: '2016-06-02' })).not.toBe(key);
  });
});
