import { appRoleGrants, quoteIdentifier } from './roles';

describe('appRoleGrants', () => {
  it('lets the app read and write, but only INSERT and SELECT on the audit trail', () => {
    const grants = appRoleGrants('minsheng_app', 'minsheng_owner');
    expect(grants).toContain('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "minsheng_app"');
    expect(grants.slice(-2)).toEqual([
      'REVOKE ALL ON audit_event FROM "minsheng_app"',
      'GRANT SELECT, INSERT ON audit_event TO "minsheng_app"',
    ]);
    const defaults = /FOR ROLE "minsheng_owner" IN SCHEMA public GRANT .* ON TABLES TO "minsheng_app"/;
    expect(grants.some((g) => defaults.test(g))).toBe(true);
    expect(grants.join('\n')).not.toMatch(/TRUNCATE|REFERENCES|TRIGGER/);
  });

  it('quotes role names', () => {
    expect(quoteIdentifier('app"; DROP TABLE x; --')).toBe('"app""; DROP TABLE x; --"');
    expect(() => quoteIdentifier('')).toThrow();
  });
});
