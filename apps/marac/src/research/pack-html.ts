import { ActionView, PackEntry, ResearchPack } from '../cases/case-queries.service';
import { escapeHtml as e } from './escape-html';

/** The pack's own policy, also sent as a header: no scripts, no external assets, inline CSS only. */
export const PACK_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'";

const STYLE = `
  body { font: 11pt/1.4 Georgia, 'Times New Roman', serif; margin: 2em; color: #000; }
  h1 { font-size: 18pt; margin-bottom: 0; }
  h2 { font-size: 14pt; border-bottom: 1px solid #000; margin-top: 1.5em; }
  h3 { font-size: 12pt; margin-bottom: .2em; }
  table { border-collapse: collapse; width: 100%; margin: .5em 0; }
  th, td { border: 1px solid #666; padding: .25em .5em; text-align: left; vertical-align: top; }
  .fact { border-left: 4px solid #000; padding-left: .5em; }
  .opinion { border-left: 4px dashed #666; padding-left: .5em; font-style: italic; }
  .label { font-weight: bold; font-style: normal; }
  .late, .overdue { font-weight: bold; }
  .marking { text-transform: uppercase; font-weight: bold; letter-spacing: .1em; }
  pre { white-space: pre-wrap; font: inherit; margin: 0; }
  @page { size: A4; margin: 15mm; }
  @media print {
    body { margin: 0; }
    section.agency { break-inside: avoid; }
    h2 { break-after: avoid; }
  }
`;

const text = (value: string | null | undefined) => `<pre>${e(value ?? '')}</pre>`;

function factsAndOpinion(
  title: string,
  value: { facts: string; opinion?: string } | undefined,
): string {
  if (!value) return '';
  return `<h4>${e(title)}</h4>
<div class="fact"><span class="label">Fact:</span> ${text(value.facts)}</div>
${value.opinion ? `<div class="opinion"><span class="label">Professional opinion:</span> ${text(value.opinion)}</div>` : ''}`;
}

function agencySection(entry: PackEntry): string {
  const heading = `<h3>${e(entry.agencyId)} (${e(entry.mailboxId)})</h3>`;
  if (!entry.response && entry.notDelivered) {
    return `<section class="agency">${heading}
<p class="overdue">Request not delivered by the exchange: ${e(entry.notDelivered.code)} — ${e(entry.notDelivered.reason)}.</p></section>`;
  }
  if (!entry.response) {
    return `<section class="agency">${heading}
<p class="${entry.overdue ? 'overdue' : ''}">No response${entry.overdue ? ' — overdue' : ''} (due ${e(entry.dueAt)})${
      entry.escalatedAt
        ? `; escalated to ${e(entry.escalationMailboxId)} at ${e(entry.escalatedAt)}`
        : ''
    }.</p></section>`;
  }
  const { form, receivedAt, late, purged } = entry.response;
  const received = `<p>Received ${e(receivedAt)}${late ? ' <span class="late">(late)</span>' : ''}; due ${e(entry.dueAt)}.</p>`;
  if (!form) {
    return `<section class="agency">${heading}
${received}
<p class="purged">Answers purged on ${e(purged?.at ?? '')} under the retention rule ${e(purged?.rule ?? '')}.</p></section>`;
  }
  return `<section class="agency">${heading}
${received}
${factsAndOpinion('Involvement with the victim', form.victimInvolvement)}
${factsAndOpinion('Involvement with the perpetrator', form.perpetratorInvolvement)}
${(form.childrenInvolvement ?? [])
  .map((child) => factsAndOpinion(`Involvement with child ${child.subjectRef}`, child))
  .join('\n')}
${factsAndOpinion('Known risks', form.knownRisks)}
<h4>Current actions</h4>${text(form.currentActions)}
<h4>Contact</h4>${text(form.contact)}
</section>`;
}

function actionRows(actions: ActionView[]): string {
  if (actions.length === 0) return '<p>No actions recorded yet.</p>';
  return `<table><thead><tr><th>Owner</th><th>Action</th><th>Due</th><th>State</th><th>Updates</th></tr></thead><tbody>
${actions
  .map(
    (action) => `<tr><td>${e(action.ownerAgencyId)}</td><td>${text(action.description)}</td>
<td class="${action.overdue ? 'overdue' : ''}">${e(action.dueDate)}${action.overdue ? ' (overdue)' : ''}</td>
<td>${e(action.state)}${action.escalatedAt ? `; escalated ${e(action.escalatedAt)}` : ''}</td>
<td>${action.updates.map((update) => `${e(update.recordedAt)} ${e(update.status)}: ${text(update.note)}`).join('')}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`;
}

/**
 * The research pack as one self-contained, printable HTML page. Every value is escaped; there is
 * no script and nothing is loaded from elsewhere.
 */
export function renderPackHtml(pack: ResearchPack): string {
  const c = pack.case;
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(PACK_CONTENT_SECURITY_POLICY)}">
<meta name="robots" content="noindex">
<title>MARAC research pack — case ${e(c.caseId)}</title>
<style>${STYLE}</style>
</head>
<body>
<p class="marking">Official — sensitive. MARAC research pack: share only within the meeting.</p>
<h1>MARAC research pack</h1>
<p>Meeting ${e(c.meetingDate)} (${e(c.meetingAt)}). Generated ${e(pack.generatedAt)}.</p>

<section id="case"><h2>Case</h2>
<table>
<tr><th>Case</th><td>${e(c.caseId)}</td></tr>
<tr><th>Victim reference</th><td>${e(c.victimRef)}</td></tr>
<tr><th>Perpetrator reference</th><td>${e(c.perpetratorRef)}</td></tr>
<tr><th>Referred by</th><td>${e(c.referringAgencyId)} at ${e(c.referredAt)}</td></tr>
<tr><th>Criterion</th><td>${e(c.criterion)}${c.professionalJudgementReason ? `: ${text(c.professionalJudgementReason)}` : ''}${
    c.incidentsLast12Months !== null
      ? ` (${e(c.incidentsLast12Months)} incidents in 12 months)`
      : ''
  }</td></tr>
<tr><th>DASH total</th><td>${e(c.dashTotal)}${c.dashTotalComputed ? ' (computed from the checklist)' : ` (given without answers: ${e(c.dashAnswersMissingReason)})`}</td></tr>
<tr><th>Repeat</th><td>${c.repeat ? `Yes — previous case ${e(c.previousCaseId)}` : 'No'}</td></tr>
</table></section>

<section id="children"><h2>Children in the household</h2>
${
  c.children.length
    ? `<table><thead><tr><th>Reference</th><th>School URN</th></tr></thead><tbody>${c.children
        .map(
          (child) =>
            `<tr><td>${e(child.subjectRef)}</td><td>${e(child.schoolUrn ?? '—')}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p>None recorded.</p>'
}</section>

<section id="completeness"><h2>Completeness</h2>
<p>${pack.agencies.length - pack.notAnswered.length} of ${pack.agencies.length} agencies have answered.</p>
${
  pack.notAnswered.length
    ? `<h3>Not answered</h3><ul>${pack.notAnswered
        .map((entry) => `<li>${e(entry.agencyId)} (${e(entry.mailboxId)})</li>`)
        .join('')}</ul>`
    : ''
}
${
  pack.overdue.length
    ? `<h3>Overdue</h3><ul>${pack.overdue
        .map(
          (entry) =>
            `<li class="overdue">${e(entry.agencyId)} (${e(entry.mailboxId)})${entry.escalatedAt ? `, escalated ${e(entry.escalatedAt)}` : ''}</li>`,
        )
        .join('')}</ul>`
    : ''
}
${
  pack.notDelivered.length
    ? `<h3>Not delivered by the exchange</h3><ul>${pack.notDelivered
        .map(
          (entry) =>
            `<li class="overdue">${e(entry.agencyId)} (${e(entry.mailboxId)}): ${e(entry.code)}</li>`,
        )
        .join('')}</ul>`
    : ''
}</section>

<section id="research"><h2>Research by agency</h2>
${pack.agencies.map(agencySection).join('\n')}
</section>

<section id="actions"><h2>Actions</h2>
${actionRows(pack.actions)}
</section>
</body>
</html>
`;
}
