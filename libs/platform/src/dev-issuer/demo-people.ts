import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { Role, Roles } from '../auth/roles';

/** A person of the demo area, as the development issuer signs them in. */
export interface DemoPerson {
  username: string;
  name: string;
  title: string;
  roles: Role[];
  mailboxes: string[];
  agency?: string;
}

interface RealmUser {
  username: string;
  firstName: string;
  lastName: string;
  attributes: Record<string, string[]>;
}

/**
 * The demo people are the users of the Keycloak realm file (deploy/keycloak), so both providers
 * sign in the same people with the same roles, mailboxes and agency.
 */
export function loadDemoPeople(): DemoPerson[] {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'deploy', 'keycloak', 'realm-northshire.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return [];
    dir = parent;
  }
  const realm = JSON.parse(
    readFileSync(path.join(dir, 'deploy', 'keycloak', 'realm-northshire.json'), 'utf8'),
  ) as { users: RealmUser[] };
  return realm.users.map((user) => ({
    username: user.username,
    name: `${user.firstName} ${user.lastName}`,
    title: user.attributes.title?.[0] ?? '',
    roles: (user.attributes.roles ?? []).filter((role): role is Role =>
      (Roles as readonly string[]).includes(role),
    ),
    mailboxes: user.attributes.mailboxes ?? [],
    ...(user.attributes.agency?.[0] ? { agency: user.attributes.agency[0] } : {}),
  }));
}
