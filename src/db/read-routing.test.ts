import type { DataSource, EntityManager } from 'typeorm';
import type { ReadReplica } from './read-replica';
import { ReadRouting } from './read-routing';

const primaryManager = { name: 'primary' } as unknown as EntityManager;
const replicaManager = { name: 'replica' } as unknown as EntityManager;
const primary = { manager: primaryManager } as unknown as DataSource;
/** The routing's view of a replica in use whose read-your-writes window is 12 s. */
const replica = { manager: () => replicaManager, readYourWritesMs: 12_000 } as unknown as ReadReplica;

describe('ReadRouting', () => {
  it('reads from the primary without a replica', () => {
    const routing = new ReadRouting(primary, null);
    routing.noteWrite('a');
    expect(routing.readManager(null)).toBe(primaryManager);
    expect(routing.readManager('a')).toBe(primaryManager);
  });

  it("keeps a writer's reads on the primary for the window, then on the replica; others read the replica", () => {
    let now = 1_000_000;
    const routing = new ReadRouting(primary, replica, () => now);
    expect(routing.readManager('a')).toBe(replicaManager);
    routing.noteWrite('a');
    expect(routing.readManager('a')).toBe(primaryManager);
    expect(routing.readManager('b')).toBe(replicaManager);
    expect(routing.readManager(null)).toBe(replicaManager);
    now += 11_999;
    expect(routing.readManager('a')).toBe(primaryManager);
    routing.noteWrite('b');
    now += 1;
    expect(routing.readManager('a')).toBe(replicaManager);
    expect(routing.readManager('b')).toBe(primaryManager);
    // A new write restarts the window.
    routing.noteWrite('a');
    now += 11_999;
    expect(routing.wroteRecently('a')).toBe(true);
    expect(routing.wroteRecently('b')).toBe(false);
  });
});
