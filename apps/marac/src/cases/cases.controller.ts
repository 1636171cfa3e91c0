import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  StreamableFile,
  UseFilters,
} from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { RequestExamples } from '@app/contracts';
import { Authorize } from '@app/platform';

import { RecordActionsDto } from '../actions/actions.dto';
import { ActionRecorded, RecordActionsUseCase } from '../actions/record-actions.usecase';
import { MaracExceptionFilter } from '../errors/marac-exception.filter';
import { PackDocuments } from '../research/pack-documents.service';
import { PACK_CONTENT_SECURITY_POLICY } from '../research/pack-html';
import { ReadablePack } from '../research/readable-pack';
import {
  CaseDetail,
  CaseQueries,
  CaseSummary,
  OutgoingView,
  ResearchPack,
} from './case-queries.service';

const CaseId = () => Param('caseId', new ParseUUIDPipe({ version: '4' }));

/**
 * The coordinator's cases (role marac-coordinator). Research and action updates come from the
 * member agencies' nodes as signed messages through the hub (inbound/), not over this API.
 */
@ApiTags('marac')
@Controller('cases')
@UseFilters(MaracExceptionFilter)
export class CasesController {
  constructor(
    private readonly cases: CaseQueries,
    private readonly recordActions: RecordActionsUseCase,
    private readonly documents: PackDocuments,
  ) {}

  @Get()
  @Authorize('marac-coordinator')
  list(): Promise<CaseSummary[]> {
    return this.cases.list();
  }

  @Get(':caseId')
  @Authorize('marac-coordinator')
  get(@CaseId() caseId: string): Promise<CaseDetail> {
    return this.cases.get(caseId);
  }

  /** The collated research: every agency's answer, who has not answered, who is overdue. */
  @Get(':caseId/pack')
  @Authorize('marac-coordinator')
  pack(@CaseId() caseId: string): Promise<ResearchPack> {
    return this.cases.pack(caseId);
  }

  /**
   * The pack in words, as the HTML and the PDF print it: agencies by name, times in the area's
   * time zone, facts apart from opinion, earlier referrals, overdue actions first.
   */
  @Get(':caseId/pack/readable')
  @Authorize('marac-coordinator')
  packReadable(@CaseId() caseId: string): Promise<ReadablePack> {
    return this.documents.readable(caseId);
  }

  /** The pack as a printable page for the meeting. */
  @Get(':caseId/pack.html')
  @Authorize('marac-coordinator')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', PACK_CONTENT_SECURITY_POLICY)
  @Header('Cache-Control', 'no-store')
  @Header('X-Content-Type-Options', 'nosniff')
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The pack as a printable HTML page', schema: { type: 'string' } })
  packHtml(@CaseId() caseId: string): Promise<string> {
    return this.documents.html(caseId);
  }

  /** The pack as a PDF, marked OFFICIAL-SENSITIVE on every page, to file or send to members. */
  @Get(':caseId/pack.pdf')
  @Authorize('marac-coordinator')
  @Header('Content-Type', 'application/pdf')
  @Header('Content-Disposition', 'attachment; filename="marac-research-pack.pdf"')
  @Header('Cache-Control', 'no-store')
  @Header('X-Content-Type-Options', 'nosniff')
  @ApiProduces('application/pdf')
  @ApiOkResponse({
    description: 'The pack as a PDF (A4), with the same content as pack.html',
    schema: { type: 'string', format: 'binary' },
  })
  async packPdf(@CaseId() caseId: string): Promise<StreamableFile> {
    return new StreamableFile(await this.documents.pdf(caseId));
  }

  /** What the case sent through the hub, and what the hub said of each message since. */
  @Get(':caseId/outgoing')
  @Authorize('marac-coordinator')
  outgoing(@CaseId() caseId: string): Promise<OutgoingView[]> {
    return this.cases.outgoing(caseId);
  }

  @Post(':caseId/actions')
  @ApiBody({ type: RecordActionsDto, examples: RequestExamples.maracActions })
  @HttpCode(201)
  @Authorize('marac-coordinator')
  actions(@CaseId() caseId: string, @Body() input: RecordActionsDto): Promise<ActionRecorded[]> {
    return this.recordActions.execute(caseId, input);
  }
}
