import { apiFieldErrors, formErrors } from './form-errors';

describe('a form’s errors', () => {
  it('lists them in the page’s order, each linking to its field', () => {
    const errors = formErrors({ nextSteps: 'Enter the next steps', decision: 'Select one' }, [
      'decision',
      'nextSteps',
    ]);
    expect(errors.summary).toEqual([
      { text: 'Select one', href: '#decision' },
      { text: 'Enter the next steps', href: '#nextSteps' },
    ]);
    expect(errors.fields.nextSteps).toBe('Enter the next steps');
  });

  it('names each field an API refused, in the form’s words where it has them', () => {
    const found = apiFieldErrors(
      {
        message: [
          'conductedBy.providerName: should not be empty',
          'nextSteps must be a string',
          'lawfulBasis must be one of the following values: a, b',
        ],
      },
      { nextSteps: 'Enter the next steps' },
    );
    expect(found).toEqual({
      'conductedBy.providerName': 'Should not be empty',
      nextSteps: 'Enter the next steps',
      lawfulBasis: 'LawfulBasis must be one of the following values: a, b',
    });
  });
});
