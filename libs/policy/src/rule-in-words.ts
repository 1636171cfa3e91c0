import { AgencyKind, LawfulBasis, SharingPolicy, SharingRule } from './policy.types';

/** One rule of the sharing policy as a person reads it, for the administrator's page. */
export interface RuleInWords {
  id: string;
  /** "Shares" or "Refuses". */
  effect: 'Shares' | 'Refuses';
  /** "A domestic abuse notification from the police to education" and the conditions. */
  when: string;
  /** What the recipient sees: "the whole message", or the fields in words. */
  sees: string | null;
  reason: string;
}

const KINDS: Record<AgencyKind, string> = {
  police: 'the police',
  health: 'health',
  education: 'education',
  'social-care': 'social care',
  marac: 'the MARAC',
  housing: 'housing',
  other: 'another agency',
};

const BASES: Record<LawfulBasis, string> = {
  'ukgdpr-6-1-e-9-2-g': 'UK GDPR Article 6(1)(e) with Article 9(2)(g)',
  'dpa2018-sch1-para18': 'DPA 2018 Schedule 1 paragraph 18',
  'dpa2018-sch8-para4': 'DPA 2018 Schedule 8 paragraph 4',
  'children-act-1989-s47': 'Children Act 1989 section 47',
};

const list = (items: string[], last = 'or') =>
  items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;

/** "child.dateOfBirth" → "child: date of birth"; "policeReference" → "police reference". */
export function fieldInWords(field: string): string {
  return field
    .split('.')
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase())
    .join(': ');
}

/** A sharing rule in plain words: which messages, from and to whom, when, and what is seen. */
export function ruleInWords(rule: SharingRule): RuleInWords {
  const what =
    rule.messageType === '*' ? 'Any message' : `A ${rule.messageType.replace(/-/g, ' ')}`;
  const parts = [what];
  if (rule.senderKinds) parts.push(`from ${list(rule.senderKinds.map((kind) => KINDS[kind]))}`);
  if (rule.recipientKinds) {
    parts.push(`to ${list(rule.recipientKinds.map((kind) => KINDS[kind]))}`);
  }
  const conditions: string[] = [];
  if (rule.consent)
    conditions.push(`consent is ${list(rule.consent.map((c) => c.replace(/-/g, ' ')))}`);
  if (rule.lawfulBases) {
    conditions.push(`it relies on ${list(rule.lawfulBases.map((basis) => BASES[basis]))}`);
  }
  if (rule.justified === true) conditions.push('a safeguarding justification is stated');
  if (rule.justified === false) conditions.push('no safeguarding justification is stated');
  if (rule.minimumRisk) conditions.push(`the risk is ${rule.minimumRisk} or higher`);
  const when = conditions.length
    ? `${parts.join(' ')}, when ${list(conditions, 'and')}`
    : parts.join(' ');
  return {
    id: rule.id,
    effect: rule.effect === 'allow' ? 'Shares' : 'Refuses',
    when,
    sees:
      rule.effect === 'refuse'
        ? null
        : rule.fields
          ? `Only: ${list(rule.fields.map(fieldInWords), 'and')}`
          : 'The whole message',
    reason: rule.reason,
  };
}

export interface PolicyInWords {
  version: string;
  rules: RuleInWords[];
}

/** The policy in force: its version and every rule in words, in the order they are tried. */
export function policyInWords(policy: SharingPolicy): PolicyInWords {
  return { version: policy.version, rules: policy.rules.map(ruleInWords) };
}
