import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import type { DataSource } from 'typeorm';
import { catalogueSnapshot } from '../modules/matching/catalogue-snapshot';
import type { Context } from './context';

/**
 * Whole responses of anonymous queries, cached for `seconds` (PUBLIC_CACHE_SECONDS): what an
 * anonymous caller may read is public (the catalogue, categories, departments, districts,
 * request matching), the same for everyone, and read far more often than it changes. The key
 * holds the published catalogue's version, so a publish or retirement is seen within the
 * version check (2 s); counters (votes, ratings, uses) may be up to `seconds` old. Callers with
 * a token are never cached and their responses say `no-store`; responses with errors are never
 * cached (the response-cache plugin's rule); mutations never are.
 */
export function publicResponseCache(seconds: number, dataSource: DataSource): ApolloServerPlugin<Context>[] {
  if (seconds <= 0) return [];
  const anonymous = async ({ contextValue }: { contextValue: Context }) => contextValue.user === null;
  return [
    ApolloServerPluginCacheControl({ defaultMaxAge: seconds }),
    {
      async requestDidStart({ contextValue }) {
        if (contextValue.user === null) return;
        return {
          async didResolveOperation({ overallCachePolicy }) {
            overallCachePolicy.restrict({ maxAge: 0 });
          },
        };
      },
    },
    responseCachePlugin<Context>({
      shouldReadFromCache: anonymous,
      shouldWriteToCache: anonymous,
      extraCacheKeyData: async ({ contextValue }) =>
        contextValue.user === null ? (await catalogueSnapshot(dataSource, dataSource.manager)).version : null,
    }),
  ];
}
