import { Category } from '../modules/categories/category.entity';
import { ServiceCoDepartment } from '../modules/catalogue/service-co-department.entity';
import { ServiceStatsRow } from '../modules/catalogue/service-stats.entity';
import { ServiceVersion } from '../modules/catalogue/service-version.entity';
import { ServiceOffering } from '../modules/catalogue/service.entity';
import { CitizenInterest } from '../modules/citizens/citizen-interest.entity';
import { Citizen } from '../modules/citizens/citizen.entity';
import { Department } from '../modules/departments/department.entity';
import { District } from '../modules/districts/district.entity';
import { ServiceActivityDaily } from '../modules/signals/service-activity.entity';
import { SignalRow } from '../modules/signals/signal.entity';
import { Rating } from '../modules/votes/rating.entity';
import { Vote } from '../modules/votes/vote.entity';
import { Proposal } from '../modules/proposals/proposal.entity';
import { Review } from '../modules/proposals/review.entity';
import { AuditEvent } from '../modules/audit/audit-event.entity';
import { AccessEvent } from '../modules/audit/access-event.entity';
import { RequestCase } from '../modules/requests/request-case.entity';
import { RequestNote } from '../modules/requests/request-note.entity';
import { SatisfactionRating } from '../modules/requests/satisfaction-rating.entity';
import { Notification } from '../modules/notifications/notification.entity';
import { LearnedAssociationRow } from '../modules/needs/learned-association.entity';

export const entities = [
  District,
  Category,
  Department,
  ServiceOffering,
  ServiceCoDepartment,
  ServiceStatsRow,
  Citizen,
  CitizenInterest,
  SignalRow,
  ServiceActivityDaily,
  Vote,
  Rating,
  ServiceVersion,
  Proposal,
  Review,
  AuditEvent,
  AccessEvent,
  RequestCase,
  RequestNote,
  SatisfactionRating,
  Notification,
  LearnedAssociationRow,
];
