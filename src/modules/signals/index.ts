import { defineModule } from '../../core/module';
import { SignalResolver } from './signal.resolver';
import { DemandSignalResolver } from './demand-signal.resolver';
import { SignalRow } from './signal.entity';
import { ServiceActivityDaily } from './service-activity.entity';

/** The signals module: what it declares of itself (composed in src/modules/index.ts). */
export const signalsModule = defineModule({
  name: 'signals',
  entities: [SignalRow, ServiceActivityDaily],
  resolvers: [SignalResolver, DemandSignalResolver],
});
