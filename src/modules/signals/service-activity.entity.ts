import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ServiceOffering } from '../catalogue/service.entity';
import { SignalKind } from './signal-kind';

/** Signals and distinct citizens per service, day (Asia/Shanghai) and kind; kept by the rollup worker. */
@Entity('service_activity_daily')
@Index('service_activity_daily_day_idx', ['day', 'kind'])
export class ServiceActivityDaily {
  @PrimaryColumn({ name: 'service_id', type: 'uuid' })
  serviceId: string;

  @PrimaryColumn({ type: 'date' })
  day: string;

  @PrimaryColumn({ type: 'enum', enum: SignalKind, enumName: 'signal_kind' })
  kind: SignalKind;

  // No constraint: rows are derived from signals that checked it (migration DerivedTablesWithoutForeignKeyChecks).
  @ManyToOne(() => ServiceOffering, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'service_id' })
  service?: ServiceOffering;

  /** Every signal. */
  @Column({ type: 'int', default: 0 })
  count: number;

  /** Distinct citizens (rows of service_activity_citizen): what the catalogue, stats, rankings and reports count. */
  @Column({ type: 'int', default: 0 })
  citizens: number;
}
