import { execFileSync, spawnSync } from 'node:child_process';

import { renderPackPdf } from './pack-pdf';
import { examplePack, testAreaNames, withUndeliveredHealthRequest } from './pack.test-support';
import { readablePack } from './readable-pack';

/** The PDF's text as a reader's tool extracts it (poppler's pdftotext), page by page. */
function textOf(pdf: Buffer): string[] {
  if (spawnSync('pdftotext', ['-v']).error) {
    throw new Error(
      'pdftotext not found: apt-get install poppler-utils (Debian) to read PDFs back',
    );
  }
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf })
    .toString('utf8')
    .split('\f')
    .filter((page) => page.trim() !== '');
}

describe('renderPackPdf', () => {
  const names = 'Zoë Łukasiewicz, Дмитрий and Σοφία';
  const long = Array.from({ length: 120 }, (_, i) => `Line ${i + 1} of the police record.`).join(
    '\n',
  );

  it('is a PDF whose every page carries the marking, the date produced and its number', async () => {
    const pack = examplePack(long);
    const pdf = await renderPackPdf(readablePack(pack, testAreaNames, 'Europe/London'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = textOf(pdf);
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, index) => {
      expect(page.match(/OFFICIAL-SENSITIVE/g)).toHaveLength(2);
      expect(page).toContain(
        `Produced on 18 March 2026 at 9:00am · page ${index + 1} of ${pages.length}`,
      );
    });
  });

  it('says what the printable page says: names, local times, facts apart from opinion', async () => {
    const pack = withUndeliveredHealthRequest(examplePack(names));
    const text = textOf(
      await renderPackPdf(readablePack(pack, testAreaNames, 'Europe/London')),
    ).join('\n');
    expect(text).toContain('MARAC research pack');
    expect(text).toContain('Meeting on 19 March 2026 at 10:00am');
    expect(text).toContain('Northshire Police — Police safeguarding hub');
    expect(text).toContain('Received 10 March 2026 at 9:00am; due 17 March 2026 at midnight.');
    expect(text).toContain(`Fact: ${names}`);
    expect(text).toContain('Professional opinion: worried "a lot"');
    expect(text).toContain('1 of 2 agencies have answered.');
    expect(text).toContain(
      'Northshire Community Health NHS Trust — Health visiting team: NOT_A_MARAC_MEMBER',
    );
    expect(text).not.toContain('northshire-police');
  });
});
