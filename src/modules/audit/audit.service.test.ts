import { Role } from '../../core/auth';
import type { Context } from '../../core/context';
import { recordAudit, shownDetails, trailedCitizens } from './audit.service';

function contextWith(inTransaction: boolean) {
  const query = jest.fn().mockResolvedValue([]);
  const ctx = {
    user: { id: '7b1c0f5e-0000-4000-8000-000000000001', role: Role.STAFF, departmentId: null },
    db: { query, queryRunner: inTransaction ? { isTransactionActive: true } : undefined },
  } as unknown as Context;
  return { ctx, query };
}

describe('recordAudit', () => {
  it('writes the event with the context’s actor', async () => {
    const { ctx, query } = contextWith(true);
    await recordAudit(ctx, {
      action: 'service.retire',
      targetType: 'service',
      targetId: 'abc',
      details: { reason: '合并' },
    });
    expect(query).toHaveBeenCalledTimes(1);
    expect(query.mock.calls[0][1]).toEqual([
      '7b1c0f5e-0000-4000-8000-000000000001',
      'STAFF',
      'service.retire',
      'service',
      'abc',
      '{"reason":"合并"}',
    ]);
  });

  it('refuses to write outside a transaction, where the event could outlive a rolled-back change', async () => {
    const { ctx, query } = contextWith(false);
    await expect(recordAudit(ctx, { action: 'vote.cast', targetType: 'service' })).rejects.toThrow(
      /inside the transaction/,
    );
    expect(query).not.toHaveBeenCalled();
  });
});

describe('shownDetails', () => {
  const serviceId = '7b1c0f5e-1381-2345-6789-123456789012';
  it('redacts what a citizen wrote, not ids', () => {
    const details = {
      stars: 2,
      comment: '办不了，回电13812345678',
      serviceId,
      tags: ['微信 zhang_san88'],
      nested: { text: 'a@b.cn' },
    };
    expect(shownDetails(details, Role.CITIZEN)).toEqual({
      stars: 2,
      comment: '办不了，回电[电话]',
      serviceId,
      tags: ['微信 [账号]'],
      nested: { text: '[邮箱]' },
    });
  });

  it("shows the city's own people's events as stored", () => {
    const details = { reason: '热线 0851-86812345 已停用' };
    expect(shownDetails(details, Role.STAFF)).toBe(details);
    expect(shownDetails(details, null)).toBe(details);
  });
});

describe('trailedCitizens', () => {
  const citizen = '7b1c0f5e-0000-4000-8000-00000000000c';
  const staff = '7b1c0f5e-0000-4000-8000-00000000000f';
  const byCitizen = { actorId: citizen, actorRole: Role.CITIZEN, targetType: 'service', targetId: 'x' };
  const aboutCitizen = { actorId: citizen, actorRole: Role.CITIZEN, targetType: 'citizen', targetId: citizen };
  const byStaff = { actorId: staff, actorRole: Role.STAFF, targetType: 'proposal', targetId: 'p' };

  it('names the citizen a filtered listing reads', () => {
    expect(trailedCitizens({ actorId: citizen }, [byCitizen, aboutCitizen])).toEqual([citizen]);
    expect(trailedCitizens({ targetType: 'citizen', targetId: citizen }, [aboutCitizen])).toEqual([citizen]);
  });

  it('names no one for unfiltered browsing, staff actors or an empty page', () => {
    expect(trailedCitizens({}, [byCitizen, aboutCitizen])).toEqual([]);
    expect(trailedCitizens({ actorId: staff }, [byStaff])).toEqual([]);
    expect(trailedCitizens({ actorId: citizen }, [])).toEqual([]);
  });
});
