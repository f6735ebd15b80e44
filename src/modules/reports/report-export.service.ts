import type { EntityManager } from 'typeorm';
import { departmentNamesByIds, listDistricts, serviceTitlesByIds } from './reports.queries';
import type { ExportFinding, ExportReport } from './report-export';
import type { CatalogueReport, Finding } from './report.types';

/** A stored report with its services, districts and departments named, ready for export. */
export async function exportableReport(db: EntityManager, report: CatalogueReport): Promise<ExportReport> {
  const all = [...report.findings, ...report.resolvedFindings];
  const serviceIds = [...new Set(all.flatMap((f) => f.serviceIds))];
  const departmentIds = [
    ...new Set([
      ...all.flatMap((f) => f.departmentIds ?? []),
      ...report.departmentPerformance.map((d) => d.departmentId),
    ]),
  ];
  const [services, districts, departments] = await Promise.all([
    serviceIds.length ? serviceTitlesByIds(db, serviceIds) : Promise.resolve([]),
    listDistricts(db),
    departmentIds.length ? departmentNamesByIds(db, departmentIds) : Promise.resolve([]),
  ]);
  const serviceById = new Map(services.map((s) => [s.id, s]));
  const districtByCode = new Map(districts.map((d) => [d.code, d]));
  const departmentById = new Map(departments.map((d) => [d.id, d.name]));
  const named = (f: Finding): ExportFinding => ({
    kind: f.kind,
    change: f.change,
    priority: f.priority,
    title: f.title,
    rationale: f.rationale,
    services: f.serviceIds.flatMap((id) => (serviceById.has(id) ? [serviceById.get(id)!] : [])),
    districts: f.districtCodes.map((code) => districtByCode.get(code) ?? { code, name: code }),
    departments: (f.departmentIds ?? []).map((id) => departmentById.get(id) ?? id),
    metrics: f.metrics,
  });
  return {
    id: report.id,
    periodStart: report.periodStart,
    periodEnd: report.periodEnd,
    generatedAt: report.generatedAt,
    trigger: report.trigger,
    previousId: report.previousId,
    summary: report.summary,
    findings: report.findings.map(named),
    resolvedFindings: report.resolvedFindings.map(named),
    departments: report.departmentPerformance.map((d) => ({
      department: departmentById.get(d.departmentId) ?? d.departmentId,
      received: d.received,
      acknowledgedOnTime: d.acknowledgedOnTime,
      resolvedOnTime: d.resolvedOnTime,
      overdue: d.overdue,
      medianResolveHours: d.medianResolveHours,
      ratings: d.ratings,
      satisfactionRate: d.satisfactionRate,
    })),
  };
}
