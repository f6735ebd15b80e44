import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import type { DataSource } from 'typeorm';
import { catalogueSnapshot } from '../modules/catalogue/catalogue-snapshot';
import type { Context } from '../core/context';
import { isDatabaseUnavailable } from '../db/faults';

/**
 * Whole responses of anonymous queries, cached for `seconds` (PUBLIC_CACHE_SECONDS): what an
 * anonymous caller may read is public (the catalogue, categories, departments, districts,
 * request matching), the same for everyone, and read far more often than it changes. The key
 * holds the published catalogue's version, so a publish or retirement is seen within the
 * version check (2 s); counters (votes, ratings, uses) may be up to `seconds` old. Callers with
 * a token are never cached and their responses say `no-store`; responses with errors are never
 * cached (the response-cache plugin's rule); mutations never are. When the catalogue's version
 * cannot be read (the database is unavailable) the request skips the cache and runs, so that
 * it meets the fault as any other request does (503 "database unavailable", not a 500 from the
 * plugin).
 */
export function publicResponseCache(seconds: number, dataSource: DataSource): ApolloServerPlugin<Context>[] {
  const uncached = new WeakSet<Context>();
  const anonymous = async ({ contextValue }: { contextValue: Context }) =>
    contextValue.user === null && !uncached.has(contextValue);
  const catalogueVersion = async (contextValue: Context): Promise<string | null> => {
    try {
      return (await catalogueSnapshot(dataSource, dataSource.manager)).version;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      uncached.add(contextValue);
      return null;
    }
  };
  // Apollo's own cache-control plugin (installed unless disabled) visits every field for its
  // hints; the schema has none, so one policy per operation, set here, is the same answer.
  const policy: ApolloServerPlugin<Context> = {
    async requestDidStart({ contextValue }) {
      return {
        async didResolveOperation({ operation, overallCachePolicy }) {
          if (seconds > 0 && contextValue.user === null && operation?.operation === 'query') {
            overallCachePolicy.replace({ maxAge: seconds, scope: 'PUBLIC' });
          } else overallCachePolicy.restrict({ maxAge: 0 });
        },
        async willSendResponse({ response, overallCachePolicy }) {
          const cacheable = overallCachePolicy.policyIfCacheable();
          const clean = response.body.kind === 'single' && !response.body.singleResult.errors;
          response.http.headers.set(
            'cache-control',
            cacheable && clean ? `max-age=${cacheable.maxAge}, public` : 'no-store',
          );
        },
      };
    },
  };
  if (seconds <= 0) return [ApolloServerPluginCacheControlDisabled(), policy];
  return [
    ApolloServerPluginCacheControlDisabled(),
    policy,
    responseCachePlugin<Context>({
      shouldReadFromCache: anonymous,
      shouldWriteToCache: anonymous,
      extraCacheKeyData: async ({ contextValue }) =>
        contextValue.user === null ? catalogueVersion(contextValue) : null,
    }),
  ];
}
