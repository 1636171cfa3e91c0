import { checkActionForm, readActionForm } from './marac-action-form';

const owners = [
  { agencyId: 'northshire-police', mailboxId: 'police-safeguarding-hub' },
  { agencyId: 'northshire-education', mailboxId: 'school-990101-dsl' },
];
// 23:30 on 6 December 2026 in London (GMT): today is the 6th.
const now = new Date('2026-12-06T23:30:00Z');

const form = (fields: Record<string, string>) =>
  readActionForm({
    owner: 'school-990101-dsl',
    description: 'Safety plan with the school.',
    'dueDate-day': '6',
    'dueDate-month': '12',
    'dueDate-year': '2026',
    ...fields,
  });

describe('the coordinator’s action form', () => {
  it('sends one action with the owner’s agency and mailbox and the due date', () => {
    expect(checkActionForm(form({}), owners, now)).toEqual({
      errors: {},
      body: {
        actions: [
          {
            ownerAgencyId: 'northshire-education',
            ownerMailboxId: 'school-990101-dsl',
            description: 'Safety plan with the school.',
            dueDate: '2026-12-06',
          },
        ],
      },
    });
  });

  it('names every problem in words', () => {
    expect(
      checkActionForm(
        form({
          owner: 'mash',
          description: '',
          'dueDate-day': '',
          'dueDate-month': '',
          'dueDate-year': '',
        }),
        owners,
        now,
      ).errors,
    ).toEqual({
      owner: 'Select the agency that owns the action',
      description: 'Enter what the agency is to do',
      dueDate: 'Enter the date the action is due',
    });
    expect(
      checkActionForm(form({ 'dueDate-day': '31', 'dueDate-month': '2' }), owners, now).errors,
    ).toEqual({
      dueDate: 'The due date must be a real date, like 19 3 2027',
    });
    expect(checkActionForm(form({ 'dueDate-day': '5' }), owners, now).errors).toEqual({
      dueDate: 'The due date must be today or later',
    });
    expect(checkActionForm(form({ description: 'x'.repeat(5_001) }), owners, now).errors).toEqual({
      description: 'The action must be 5,000 characters or fewer',
    });
  });
});
