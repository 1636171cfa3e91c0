const PREFIX = 'uk.safeguarding.exchange.';

/** Names people use for the exchange's message types. */
const LABELS: Record<string, string> = {
  'domestic-abuse-notification': 'Domestic abuse notification (Operation Encompass)',
  'missing-episode': 'Missing episode',
  referral: 'Referral',
  'referral-outcome': 'Referral outcome',
  'consent-withdrawn': 'Consent withdrawn',
  'return-home-interview-outcome': 'Return home interview outcome',
  escalation: 'Escalation: overdue',
  'marac-information-request': 'MARAC information request',
  'marac-action': 'MARAC action',
  'marac-referral-decision': 'MARAC referral decision',
  correction: 'Correction',
};

/** Who sends a kind of message, as a notice about it names them ("corrected by the police"). */
const SENDERS: Record<string, string> = {
  'domestic-abuse-notification': 'the police',
  referral: 'the referrer',
};

export function messageSender(type: string): string {
  return SENDERS[type.replace(PREFIX, '').replace(/-view$/, '')] ?? 'the sender';
}

/** "uk.safeguarding.exchange.missing-episode-view" → "Missing episode". */
export function messageTypeLabel(type: string): string {
  const name = type.replace(PREFIX, '').replace(/-view$/, '');
  return LABELS[name] ?? sentence(name.replace(/-/g, ' '));
}

/** "childPresent" → "Child present"; "voiceOfTheChild" → "Voice of the child". */
export function fieldLabel(field: string): string {
  return sentence(
    field
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/[_-]/g, ' ')
      .toLowerCase(),
  );
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What a kind of message asks of the person who receives it, said once on its page. */
const GUIDANCE: Record<string, string> = {
  'consent-withdrawn':
    'Consent for sharing information about this child was withdrawn. Stop using what you were sent under that consent, unless a safeguarding reason to keep it applies, and acknowledge that you have seen this.',
};

export function messageGuidance(type: string): string | null {
  return GUIDANCE[type.replace(PREFIX, '').replace(/-view$/, '')] ?? null;
}
