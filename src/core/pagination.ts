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

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** `first`/`after` arguments of a connection; `first` defaults differ per field (`defaultFirst`, read by `pageRequest`). */
export function PaginationArgs(defaultFirst: number): ClassType<PageArgs> & { readonly defaultFirst: number } {
  @ArgsType()
  class Args {
    static readonly defaultFirst = defaultFirst;

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
    const [kind, offsetText] = [
      payload.slice(0, payload.lastIndexOf(':')),
      payload.slice(payload.lastIndexOf(':') + 1),
    ];
    const offset = Number(offsetText);
    if (kind !== listing || !Number.isInteger(offset) || offset < 0) throw invalid();
    return offset + 1;
  }
}

/** The rows a service reads for one page: `limit` rows from `offset` (it reads one more to know of a next page). */
export interface PageWindow {
  offset: number;
  limit: number;
}

/** A page of one listing, decoded once from `first`/`after` by the resolver. */
export interface PageRequest extends PageWindow {
  listing: string;
}

/**
 * The page `first`/`after` ask for in `listing`: the cursor decoded (BAD_USER_INPUT when it is
 * not one of this listing's), `first` checked, an explicit null taken as the field's default.
 */
export function pageRequest(cursors: CursorCodec, listing: string, args: PageArgs, defaultFirst: number): PageRequest {
  const offset = cursors.decode(listing, args.after);
  const limit = args.first ?? defaultFirst;
  checkPageSize(limit);
  return { listing, offset, limit };
}

/** The connection (edges, page info, total) of what a service found for `page`. */
export function connectionOf<T>(
  cursors: CursorCodec,
  page: PageRequest,
  found: { nodes: T[]; hasNextPage: boolean; totalCount: number },
): Page<T> & { totalCount: number } {
  return {
    ...buildPage(cursors, page.listing, found.nodes, page.offset, found.hasNextPage),
    totalCount: found.totalCount,
  };
}

export interface Page<T> {
  edges: { readonly cursor: string; node: T }[];
  pageInfo: PageInfo;
}

/** An edge whose cursor is signed when (and if) the response reads it. */
class LazyEdge<T> {
  private signed: string | undefined;

  constructor(
    private readonly codec: CursorCodec,
    private readonly listing: string,
    private readonly position: number,
    readonly node: T,
  ) {}

  get cursor(): string {
    if (this.signed === undefined) this.signed = this.codec.encode(this.listing, this.position);
    return this.signed;
  }
}

/** Page info whose start and end cursors are signed only when the response reads them. */
class LazyPageInfo<T> implements PageInfo {
  constructor(
    private readonly edges: readonly LazyEdge<T>[],
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
  ) {}

  get startCursor(): string | null {
    return this.edges[0]?.cursor ?? null;
  }

  get endCursor(): string | null {
    return this.edges[this.edges.length - 1]?.cursor ?? null;
  }
}

/**
 * Builds edges and page info for `nodes` found at `offset`, with `hasNext` known to the
 * caller. Cursors are HMAC-signed lazily: a query that selects no cursor signs none.
 */
export function buildPage<T>(
  codec: CursorCodec,
  listing: string,
  nodes: T[],
  offset: number,
  hasNextPage: boolean,
): Page<T> {
  const edges = nodes.map((node, index) => new LazyEdge(codec, listing, offset + index, node));
  return { edges, pageInfo: new LazyPageInfo(edges, hasNextPage, offset > 0) };
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
