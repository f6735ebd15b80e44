import { createHmac, timingSafeEqual } from 'node:crypto';
import { IsOptional, Max, Min } from 'class-validator';
import { ArgsType, ClassType, Field, Int, ObjectType } from 'type-graphql';
import { BadInputError } from './errors';

export const MAX_PAGE_SIZE = 100;

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field()
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

/** `first`/`after` arguments of a connection; `first` defaults differ per field. */
export function PaginationArgs(defaultFirst: number): ClassType<{ first?: number | null; after?: string | null }> {
  @ArgsType()
  class Args {
    // Nullable with a default, as the contract has it; an explicit null means the default.
    @Field(() => Int, { nullable: true, defaultValue: defaultFirst })
    @IsOptional()
    @Min(0)
    @Max(MAX_PAGE_SIZE)
    first?: number | null;

    @Field(() => String, { nullable: true })
    after?: string | null;
  }
  return Args;
}

export function checkPageSize(first: number, property = 'first'): void {
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw BadInputError.field(property, 'pageSize', `${property} must be from 0 to ${MAX_PAGE_SIZE}`);
  }
}

/**
 * Opaque cursors: a position in one kind of listing, signed so that a cursor this server
 * did not issue (or one from another listing) is refused.
 */
export class CursorCodec {
  constructor(private readonly secret: string) {}

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url').slice(0, 16);
  }

  encode(listing: string, offset: number): string {
    const payload = `${listing}:${offset}`;
    return Buffer.from(`${payload}:${this.sign(payload)}`).toString('base64url');
  }

  /** The offset after `cursor` (0 without one). */
  decode(listing: string, cursor: string | null | undefined): number {
    if (cursor === null || cursor === undefined) return 0;
    const invalid = () => BadInputError.field('after', 'cursor', 'after is not a cursor of this listing');
    const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
    const lastColon = decoded.lastIndexOf(':');
    if (lastColon < 0) throw invalid();
    const payload = decoded.slice(0, lastColon);
    const signature = Buffer.from(decoded.slice(lastColon + 1));
    const expected = Buffer.from(this.sign(payload));
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) throw invalid();
    const [kind, offsetText] = [payload.slice(0, payload.lastIndexOf(':')), payload.slice(payload.lastIndexOf(':') + 1)];
    const offset = Number(offsetText);
    if (kind !== listing || !Number.isInteger(offset) || offset < 0) throw invalid();
    return offset + 1;
  }
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
}

/** Builds edges and page info for `nodes` found at `offset`, with `hasNext` known to the caller. */
export function buildPage<T>(codec: CursorCodec, listing: string, nodes: T[], offset: number, hasNextPage: boolean): Page<T> {
  const edges = nodes.map((node, index) => ({ cursor: codec.encode(listing, offset + index), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** A Relay connection type: `<Name>Connection` with `<Name>Edge`, optionally with totalCount. */
export function Connection<T extends object>(name: string, nodeType: ClassType<T>) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class Edge {
    @Field()
    cursor: string;

    @Field(() => nodeType)
    node: T;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true })
  class ConnectionType {
    @Field(() => [Edge])
    edges: Edge[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int)
    totalCount: number;
  }
  return ConnectionType;
}
