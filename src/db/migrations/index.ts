import { Initial1795927575756 } from './1795927575756-Initial';
import { SearchAndCounters1795927575757 } from './1795927575757-SearchAndCounters';
import { Matching1795929259983 } from './1795929259983-Matching';
import { DemandRollups1795929300000 } from './1795929300000-DemandRollups';
import { ProposalsAndAudit1795929400000 } from './1795929400000-ProposalsAndAudit';
import { CatalogueReports1795929500000 } from './1795929500000-CatalogueReports';
import { Open311Requests1795929610311 } from './1795929610311-Open311Requests';
import { DemandDayChanges1795929700000 } from './1795929700000-DemandDayChanges';
import { DerivedTablesWithoutForeignKeyChecks1795929800000 } from './1795929800000-DerivedTablesWithoutForeignKeyChecks';
import { CatalogueTitleOrder1795945496304 } from './1795945496304-CatalogueTitleOrder';
import { DemandRebuildMarker1795960000000 } from './1795960000000-DemandRebuildMarker';
import { DemandAreaRollups1795970000000 } from './1795970000000-DemandAreaRollups';
import { IdempotencyKeys1795980000000 } from './1795980000000-IdempotencyKeys';
import { ReportPeriodGranularity1795981000000 } from './1795981000000-ReportPeriodGranularity';
import { ReviewSeparationOfDuties1795981000001 } from './1795981000001-ReviewSeparationOfDuties';
import { AccessEvents1795982000000 } from './1795982000000-AccessEvents';
import { LowRatingsOutOfSharedDemand1795983000000 } from './1795983000000-LowRatingsOutOfSharedDemand';
import { RequestCases1795985000000 } from './1795985000000-RequestCases';
import { SatisfactionRatings1795985000001 } from './1795985000001-SatisfactionRatings';
import { Notifications1795985000002 } from './1795985000002-Notifications';
import { SignalNeed1795986000000 } from './1795986000000-SignalNeed';
import { LearnedAssociations1795987000000 } from './1795987000000-LearnedAssociations';
import { ServiceGuides1795988000000 } from './1795988000000-ServiceGuides';
import { ServicePoints1795988000001 } from './1795988000001-ServicePoints';
import { RankingModels1796000000000 } from './1796000000000-RankingModels';
import { NotificationDelivery1796002000000 } from './1796002000000-NotificationDelivery';
import { SignalRollupWatermark1796004000000 } from './1796004000000-SignalRollupWatermark';
import { GuideVersions1796005000000 } from './1796005000000-GuideVersions';
import { DeadlineNotices1796006000000 } from './1796006000000-DeadlineNotices';
import { RollupPendingXids1796007000000 } from './1796007000000-RollupPendingXids';
import { SatisfactionRatingTime1796011000000 } from './1796011000000-SatisfactionRatingTime';
import { RatingNotices1796011000001 } from './1796011000001-RatingNotices';
import { DemandSliceRollups1796021000000 } from './1796021000000-DemandSliceRollups';
import { SignalPartitions1796040000000 } from './1796040000000-SignalPartitions';
import { ServiceActivityCitizens1796050000000 } from './1796050000000-ServiceActivityCitizens';
import { SegmentServiceCitizens1796050000001 } from './1796050000001-SegmentServiceCitizens';
import { NeighbourEvidence1796050000002 } from './1796050000002-NeighbourEvidence';

// Every migration, in order. A unit test checks that each file in this folder is listed.
export const migrations: Function[] = [
  Initial1795927575756,
  SearchAndCounters1795927575757,
  Matching1795929259983,
  DemandRollups1795929300000,
  ProposalsAndAudit1795929400000,
  CatalogueReports1795929500000,
  Open311Requests1795929610311,
  DemandDayChanges1795929700000,
  DerivedTablesWithoutForeignKeyChecks1795929800000,
  CatalogueTitleOrder1795945496304,
  DemandRebuildMarker1795960000000,
  DemandAreaRollups1795970000000,
  IdempotencyKeys1795980000000,
  ReportPeriodGranularity1795981000000,
  ReviewSeparationOfDuties1795981000001,
  AccessEvents1795982000000,
  LowRatingsOutOfSharedDemand1795983000000,
  RequestCases1795985000000,
  SatisfactionRatings1795985000001,
  Notifications1795985000002,
  SignalNeed1795986000000,
  LearnedAssociations1795987000000,
  ServiceGuides1795988000000,
  ServicePoints1795988000001,
  RankingModels1796000000000,
  NotificationDelivery1796002000000,
  SignalRollupWatermark1796004000000,
  GuideVersions1796005000000,
  DeadlineNotices1796006000000,
  RollupPendingXids1796007000000,
  SatisfactionRatingTime1796011000000,
  RatingNotices1796011000001,
  DemandSliceRollups1796021000000,
  SignalPartitions1796040000000,
  ServiceActivityCitizens1796050000000,
  SegmentServiceCitizens1796050000001,
  NeighbourEvidence1796050000002,
];
