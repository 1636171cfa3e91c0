import { escapeHtml as e } from './escape-html';
import { FactAndOpinion, ReadableAction, ReadableAgency, ReadablePack } from './readable-pack';

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
  .attention { font-weight: bold; }
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

function factAndOpinion(answer: FactAndOpinion): string {
  return `<h4>${e(answer.title)}</h4>
<div class="fact"><span class="label">Fact:</span> ${text(answer.facts)}</div>
${answer.opinion ? `<div class="opinion"><span class="label">Professional opinion:</span> ${text(answer.opinion)}</div>` : ''}`;
}

function agencySection(agency: ReadableAgency): string {
  const status = agency.attention
    ? `<p class="attention">${e(agency.status)}</p>`
    : `<p>${e(agency.status)}</p>`;
  return `<section class="agency"><h3>${e(agency.heading)}</h3>
${status}
${agency.purged ? `<p class="purged">${e(agency.purged)}</p>` : ''}
${agency.answers.map(factAndOpinion).join('\n')}
${agency.currentActions !== undefined ? `<h4>Current actions</h4>${text(agency.currentActions)}` : ''}
${agency.contact !== undefined ? `<h4>Contact</h4>${text(agency.contact)}` : ''}
</section>`;
}

function actionRows(actions: ReadableAction[]): string {
  if (actions.length === 0) return '<p>No actions recorded yet.</p>';
  return `<table><thead><tr><th>Owner</th><th>Action</th><th>Due</th><th>State</th><th>Updates</th></tr></thead><tbody>
${actions
  .map(
    (action) => `<tr><td>${e(action.owner)}</td><td>${text(action.description)}</td>
<td class="${action.overdue ? 'attention' : ''}">${e(action.due)}</td>
<td>${e(action.state)}</td>
<td>${action.updates.map(text).join('')}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`;
}

const list = (title: string, items: string[]) =>
  items.length
    ? `<h3>${e(title)}</h3><ul>${items.map((item) => `<li>${e(item)}</li>`).join('')}</ul>`
    : '';

/**
 * The research pack as one self-contained, printable HTML page, saying what the PDF says
 * (readablePack). Every value is escaped; there is no script and nothing is loaded from elsewhere.
 */
export function renderPackHtml(pack: ReadablePack): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(PACK_CONTENT_SECURITY_POLICY)}">
<meta name="robots" content="noindex">
<title>MARAC research pack — case ${e(pack.caseId)}</title>
<style>${STYLE}</style>
</head>
<body>
<p class="marking">${e(pack.marking)}</p>
<h1>MARAC research pack</h1>
<p>Meeting on ${e(pack.meeting)}. Produced on ${e(pack.producedOn)}. Share only within the meeting.</p>

<section id="case"><h2>Case</h2>
<table>
${pack.caseRows.map(([label, value]) => `<tr><th>${e(label)}</th><td>${text(value)}</td></tr>`).join('\n')}
</table>
<p>${e(pack.history)}</p>
${list('Earlier referrals', pack.earlierReferrals)}</section>

<section id="children"><h2>Children in the household</h2>
${
  pack.children.length
    ? `<table><thead><tr><th>Reference</th><th>School</th></tr></thead><tbody>${pack.children
        .map((child) => `<tr><td>${e(child.reference)}</td><td>${e(child.school)}</td></tr>`)
        .join('')}</tbody></table>`
    : '<p>None recorded.</p>'
}</section>

<section id="completeness"><h2>Completeness</h2>
<p>${e(pack.answeredLine)}</p>
${list('Not answered', pack.notAnswered)}
${list('Overdue', pack.overdue)}
${list('Not delivered by the exchange', pack.notDelivered)}
</section>

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
