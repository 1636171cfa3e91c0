import { SharingStatementFields } from '@app/contracts';
import { EntityManager } from 'typeorm';

/**
 * The lawful basis the MARAC shares under: UK GDPR Art. 6(1)(e) with the DPA 2018 Sch. 1 para. 18
 * safeguarding condition. The MARAC is a controller in its own right, so its requests, actions
 * and escalations rest on its basis, not the referrer's (a police referral under Sch. 8 para. 4,
 * law enforcement, would otherwise be refused for every message the MARAC sends).
 */
export const MARAC_LAWFUL_BASIS = 'dpa2018-sch1-para18';

interface CaseTermsRow {
  victim_ref: string;
  consent_position: SharingStatementFields['consent']['position'] | null;
  consent_by: string | null;
  consent_at: Date | null;
  safeguarding_justification: SharingStatementFields['safeguardingJustification'] | null;
  family_informed: boolean | null;
}

export interface CaseForSending {
  victimRef: string;
  terms: SharingStatementFields;
}

/**
 * What every message about a case tells the hub's policy, from the referral: the victim's consent
 * position (with who and when), the justification for sharing without consent, whether the
 * victim was told, and the MARAC's basis. A case recorded before terms were kept states consent
 * not sought and no justification, which the policy refuses: nothing is shared on a guess.
 */
export async function caseForSending(tx: EntityManager, caseId: string): Promise<CaseForSending> {
  const [row] = (await tx.query(
    `SELECT victim_ref, consent_position, consent_by, consent_at, safeguarding_justification,
            family_informed
       FROM marac_case WHERE id = $1`,
    [caseId],
  )) as CaseTermsRow[];
  if (!row) throw new Error(`case ${caseId} is not recorded`);
  return {
    victimRef: row.victim_ref,
    terms: {
      consent: {
        position: row.consent_position ?? 'not-sought',
        ...(row.consent_by ? { by: row.consent_by } : {}),
        ...(row.consent_at ? { at: row.consent_at.toISOString() } : {}),
      },
      lawfulBasis: MARAC_LAWFUL_BASIS,
      ...(row.safeguarding_justification
        ? { safeguardingJustification: row.safeguarding_justification }
        : {}),
      familyInformed: row.family_informed ?? false,
    },
  };
}
