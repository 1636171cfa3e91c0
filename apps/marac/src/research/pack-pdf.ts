import { dirname, join } from 'node:path';

import PDFDocument from 'pdfkit';

import { ReadableAgency, ReadablePack } from './readable-pack';

/**
 * DejaVu Sans, from its npm package: it covers the Latin, Greek and Cyrillic letters of people's
 * and places' names, which the PDF standard fonts (WinAnsi only) do not. Embedded in the file.
 */
const FONTS = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const REGULAR = join(FONTS, 'DejaVuSans.ttf');
const BOLD = join(FONTS, 'DejaVuSans-Bold.ttf');
const ITALIC = join(FONTS, 'DejaVuSans-Oblique.ttf');

const MARGIN = 50;

/**
 * The research pack as a PDF (PDFKit), saying what the printable HTML says: headed and footed on
 * every page with its protective marking, the date it was produced and the page number.
 */
export function renderPackPdf(pack: ReadablePack): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN + 20, bottom: MARGIN + 20, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang: 'en-GB',
    displayTitle: true,
    info: {
      Title: `MARAC research pack — case ${pack.caseId}`,
      Subject: pack.marking,
      Creator: 'Safeguarding Exchange',
    },
  });
  doc.registerFont('regular', REGULAR);
  doc.registerFont('bold', BOLD);
  doc.registerFont('italic', ITALIC);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const heading = (text: string, size: number) => {
    doc.moveDown(0.6).font('bold').fontSize(size).text(text).moveDown(0.2);
  };
  const body = (text: string, font = 'regular') => doc.font(font).fontSize(10).text(text);
  const bullets = (title: string, items: string[]) => {
    if (items.length === 0) return;
    doc.moveDown(0.3).font('bold').fontSize(10).text(title);
    doc.font('regular').list(items, { bulletRadius: 1.5 });
  };

  doc.font('bold').fontSize(18).text('MARAC research pack');
  body(`Meeting on ${pack.meeting}. Produced on ${pack.producedOn}.`);
  body('Share only within the meeting.', 'italic');

  heading('Case', 14);
  for (const [label, value] of pack.caseRows) {
    doc.font('bold').fontSize(10).text(`${label}: `, { continued: true });
    doc.font('regular').text(value);
  }
  body(pack.history);
  bullets('Earlier referrals', pack.earlierReferrals);

  heading('Children in the household', 14);
  if (pack.children.length === 0) body('None recorded.');
  for (const child of pack.children) body(`${child.reference} — school ${child.school}`);

  heading('Completeness', 14);
  body(pack.answeredLine);
  bullets('Not answered', pack.notAnswered);
  bullets('Overdue', pack.overdue);
  bullets('Not delivered by the exchange', pack.notDelivered);

  heading('Research by agency', 14);
  for (const agency of pack.agencies) agencyPart(doc, agency);

  heading('Actions', 14);
  if (pack.actions.length === 0) body('No actions recorded yet.');
  for (const action of pack.actions) {
    doc.moveDown(0.3).font('bold').fontSize(10).text(action.owner);
    body(action.description);
    body(`Due ${action.due}. ${action.state}.`, action.overdue ? 'bold' : 'regular');
    for (const update of action.updates) body(update);
  }

  markEveryPage(doc, pack);
  doc.end();
  return done;
}

function agencyPart(doc: PDFKit.PDFDocument, agency: ReadableAgency): void {
  doc.moveDown(0.5).font('bold').fontSize(12).text(agency.heading);
  doc
    .font(agency.attention ? 'bold' : 'regular')
    .fontSize(10)
    .text(agency.status);
  if (agency.purged) doc.font('italic').text(agency.purged);
  for (const answer of agency.answers) {
    doc.moveDown(0.3).font('bold').fontSize(10).text(answer.title);
    doc.font('bold').text('Fact: ', { continued: true }).font('regular').text(answer.facts);
    if (answer.opinion) {
      doc
        .font('bold')
        .text('Professional opinion: ', { continued: true })
        .font('italic')
        .text(answer.opinion);
    }
  }
  if (agency.currentActions !== undefined) {
    doc.font('bold').text('Current actions: ', { continued: true });
    doc.font('regular').text(agency.currentActions);
  }
  if (agency.contact !== undefined) {
    doc.font('bold').text('Contact: ', { continued: true });
    doc.font('regular').text(agency.contact);
  }
}

/** The marking at the top and bottom of every page, as the classification scheme asks. */
function markEveryPage(doc: PDFKit.PDFDocument, pack: ReadablePack): void {
  const { start, count } = doc.bufferedPageRange();
  for (let index = start; index < start + count; index += 1) {
    doc.switchToPage(index);
    const width = doc.page.width - 2 * MARGIN;
    // Drawn inside the page's margins' own band, so no new page is started.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('bold').fontSize(9);
    doc.text(pack.marking, MARGIN, MARGIN - 10, { width, align: 'center' });
    doc.text(pack.marking, MARGIN, doc.page.height - MARGIN, { width, align: 'center' });
    doc
      .font('regular')
      .fontSize(8)
      .text(
        `Produced on ${pack.producedOn} · page ${index - start + 1} of ${count}`,
        MARGIN,
        doc.page.height - MARGIN + 12,
        { width, align: 'center' },
      );
    doc.page.margins.bottom = bottom;
  }
}
