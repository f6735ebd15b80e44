import { Initial1795927575756 } from './1795927575756-Initial';
import { SearchAndCounters1795927575757 } from './1795927575757-SearchAndCounters';
import { Matching1795929259983 } from './1795929259983-Matching';

// Every migration, in order. A unit test checks that each file in this folder is listed.
export const migrations: Function[] = [Initial1795927575756, SearchAndCounters1795927575757, Matching1795929259983];
