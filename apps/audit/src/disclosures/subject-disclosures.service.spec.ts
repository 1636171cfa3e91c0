import { basisOf } from './subject-disclosures.service';

describe('the basis of a sharing, read from the policy decision the hub recorded', () => {
  it('reads the lawful basis, the consent position and whether the family was told', () => {
    expect(
      basisOf(
        'family informed: no; shared under justification; basis dpa2018-sch8-para4; consent not-sought; recipient the school',
      ),
    ).toEqual({ lawfulBasis: 'dpa2018-sch8-para4', consent: 'not-sought', familyInformed: false });
  });

  it('says nothing it was not told', () => {
    expect(basisOf(null)).toEqual({ lawfulBasis: null, consent: null, familyInformed: null });
  });
});
