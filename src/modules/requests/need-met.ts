import { TextMatcher, type MatchableService } from '../matching/text-matcher';
import { LEXICAL_UNMET_THRESHOLD } from '../matching/request-understanding';

/** The score at which a request is met (request-matching.service's UNMET_THRESHOLD, not imported: it imports this module's folder). */
export const NEED_MET_SCORE = 0.25;

/** An earlier unmet request, as the need-met check reads it. */
export interface UnmetRequest {
  id: string;
  text: string;
  /** The need recognised in it when it was filed (signal.need_code). */
  needCode: string | null;
  districtCode: string;
}

/**
 * Whether a newly published service meets an earlier unmet request: its words cover the
 * request as a met request's best service does (NEED_MET_SCORE), or the request's recognised
 * need is one the service's department is responsible for (needs model) and its words reach
 * the lexical floor of the request matcher (LEXICAL_UNMET_THRESHOLD), or the request's need is
 * the one the service itself is about (`serviceNeed`: recognised in its title, tags and summary,
 * and one its department is responsible for), however the citizen worded it. A service not
 * open to the request's district never meets it. Pure: the matcher is built over the new service.
 */
export class NeedMetCheck {
  private readonly matcher: TextMatcher;

  constructor(
    private readonly service: MatchableService,
    /** The needs (codes) the service's department is responsible for. */
    private readonly departmentNeeds: ReadonlySet<string>,
    /** The need (code) the service is about, when its department is responsible for it. */
    private readonly serviceNeed: string | null = null,
  ) {
    this.matcher = new TextMatcher([service]);
  }

  /** The request's score against the new service (0 when it shares no word or is closed to its district). */
  scoreOf(request: UnmetRequest): number {
    return this.matcher.match(request.text, { districtCode: request.districtCode, limit: 1 })[0]?.score ?? 0;
  }

  /** Whether the request's need is the one the service is about (then it meets it wherever the service is open). */
  isAbout(request: UnmetRequest): boolean {
    return this.serviceNeed !== null && request.needCode === this.serviceNeed;
  }

  meets(request: UnmetRequest): boolean {
    if (this.isAbout(request) && this.isOpenTo(request.districtCode)) return true;
    const score = this.scoreOf(request);
    if (score >= NEED_MET_SCORE) return true;
    return request.needCode !== null && this.departmentNeeds.has(request.needCode) && score >= LEXICAL_UNMET_THRESHOLD;
  }

  private isOpenTo(districtCode: string): boolean {
    return this.service.districtCodes.length === 0 || this.service.districtCodes.includes(districtCode);
  }
}
