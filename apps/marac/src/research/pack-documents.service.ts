import { Injectable } from '@nestjs/common';

import { CaseQueries } from '../cases/case-queries.service';
import { MaracEnv } from '../config/marac.env';
import { AreaNames } from './area-names';
import { renderPackHtml } from './pack-html';
import { renderPackPdf } from './pack-pdf';
import { readablePack, ReadablePack } from './readable-pack';

/** A case's research pack as the meeting reads it: a printable page, or a PDF saying the same. */
@Injectable()
export class PackDocuments {
  constructor(
    private readonly cases: CaseQueries,
    private readonly names: AreaNames,
    private readonly env: MaracEnv,
  ) {}

  async html(caseId: string): Promise<string> {
    return renderPackHtml(await this.readable(caseId));
  }

  async pdf(caseId: string): Promise<Buffer> {
    return renderPackPdf(await this.readable(caseId));
  }

  /** The pack in words, as both documents print it (the console shows the same). */
  async readable(caseId: string): Promise<ReadablePack> {
    return readablePack(await this.cases.pack(caseId), this.names, this.env.MARAC_TIME_ZONE);
  }
}
