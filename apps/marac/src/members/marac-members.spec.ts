import { readFileSync } from 'node:fs';
import path from 'node:path';

import {
  caseRecipients,
  InvalidMembersFileError,
  loadMembership,
  parseMembership,
} from './marac-members';

const root = path.join(__dirname, '..', '..', '..', '..');
const membersFile = path.join(root, 'deploy', 'marac', 'northshire-members.json');

interface DemoArea {
  agencies: { id: string; kind: string }[];
  maracMembers: { maracAgencyId: string; memberAgencyIds: string[] }[];
  nodes: { id: string; agencyId: string }[];
  mailboxes: { id: string; nodeId: string; kind: string; externalRef?: string }[];
}

describe('MARAC members file', () => {
  const membership = loadMembership(membersFile);
  const area = JSON.parse(
    readFileSync(path.join(root, 'deploy', 'registry', 'demo-area.json'), 'utf8'),
  ) as DemoArea;
  const agencyOfMailbox = (mailboxId: string) => {
    const mailbox = area.mailboxes.find((candidate) => candidate.id === mailboxId);
    return area.nodes.find((node) => node.id === mailbox?.nodeId)?.agencyId;
  };

  it('names only mailboxes of the demo area, each belonging to the agency it is listed under', () => {
    for (const member of membership.members) {
      expect([member.agencyId, agencyOfMailbox(member.informationRequestMailboxId)]).toEqual([
        member.agencyId,
        member.agencyId,
      ]);
      expect(agencyOfMailbox(member.escalationMailboxId)).toBe(member.agencyId);
    }
    expect(agencyOfMailbox(membership.schools.escalationMailboxId)).toBe(
      membership.schools.agencyId,
    );
    expect(agencyOfMailbox(membership.coordinatorMailboxId)).toBe('northshire-marac');
  });

  it("lists exactly the registry's members of the MARAC, which the hub enforces", () => {
    // The hub refuses a request to a mailbox of an agency the registry does not list as a
    // member; the file choosing mailboxes must not name one the hub would refuse, nor leave one out.
    const maracAgency = agencyOfMailbox(membership.coordinatorMailboxId);
    const registered = area.maracMembers.find((marac) => marac.maracAgencyId === maracAgency);
    expect(registered).toBeDefined();
    expect(
      [...membership.members.map((member) => member.agencyId), membership.schools.agencyId].sort(),
    ).toEqual([...registered!.memberAgencyIds].sort());
  });

  it("derives each school's mailbox as the registry names it", () => {
    const schools = area.mailboxes.filter((mailbox) => mailbox.externalRef);
    for (const school of schools) {
      const [recipient] = caseRecipients(membership, [school.externalRef!]).slice(-1);
      expect(recipient.mailboxId).toBe(school.id);
      expect(agencyOfMailbox(recipient.mailboxId)).toBe(recipient.agencyId);
    }
  });

  it('sends one request per school however many children attend it', () => {
    const recipients = caseRecipients(membership, ['990102', '990101', '990102']);
    expect(recipients.map((recipient) => recipient.mailboxId)).toEqual([
      'police-safeguarding-hub',
      'health-visiting',
      'mash',
      'school-990101-dsl',
      'school-990102-dsl',
    ]);
  });

  it('names every problem of a bad file', () => {
    expect(() =>
      parseMembership({
        area: 'x',
        coordinatorMailboxId: 'Bad Id',
        members: [{ agencyId: 'a', kind: 'police', informationRequestMailboxId: 'm' }],
        schools: {
          agencyId: 'e',
          kind: 'education',
          mailboxIdTemplate: 'school',
          escalationMailboxId: 'x',
        },
      }),
    ).toThrow(InvalidMembersFileError);
    try {
      parseMembership({ area: 'x', members: [], schools: {} });
    } catch (error) {
      expect((error as Error).message).toMatch(/coordinatorMailboxId/);
      expect((error as Error).message).toMatch(/members/);
      expect((error as Error).message).toMatch(/schools\.mailboxIdTemplate/);
    }
  });
});
