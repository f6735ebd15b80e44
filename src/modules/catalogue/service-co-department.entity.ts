import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Department } from '../departments/department.entity';
import { ServiceOffering } from './service.entity';

/** A department that provides a service jointly with its lead department. */
@Entity('service_co_department')
export class ServiceCoDepartment {
  @PrimaryColumn({ name: 'service_id', type: 'uuid' })
  serviceId: string;

  @Index()
  @PrimaryColumn({ name: 'department_id', type: 'uuid' })
  departmentId: string;

  @ManyToOne(() => ServiceOffering, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id' })
  service?: ServiceOffering;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'department_id' })
  department?: Department;
}
