import { z } from 'zod';
import { CURRENCIES } from './currency';
import { BlockedEntry, Currency, Directory, Feed, Gtin, PriceEntry, Report, SellerEntry } from './schema';

/**
 * JSON Schemas (draft 2020-12) of the documents, generated from the zod schemas so the two cannot
 * drift. Brands validate with any JSON Schema tool; `genuine-feed schema` prints them.
 *
 * They describe the input (io: "input"): a GTIN is any string of 8-14 digits before the check
 * digit is verified. What JSON Schema cannot say (the GS1 check digit, "lifetime at most 90 days")
 * is in the descriptions and enforced by `genuine-feed lint` and the verifiers.
 */

export type SchemaKind = 'feed' | 'directory' | 'report';
export const SCHEMA_KINDS: readonly SchemaKind[] = ['feed', 'directory', 'report'];

const ABOUT: Record<SchemaKind, { title: string; description: string; schema: z.ZodType }> = {
  feed: {
    title: 'Genuine brand feed, version 1',
    description:
      'Who may sell a brand\'s products, at what plausible prices, and who is confirmed to sell fakes. Signed in a DSSE envelope with payloadType "application/vnd.genuine.feed+json; version=1"; expiresAt at most 90 days after issuedAt. Unknown fields are ignored.',
    schema: Feed,
  },
  directory: {
    title: 'Genuine directory, version 1',
    description:
      'The brands Genuine knows, their pinned keys and feed URLs. Signed in a DSSE envelope with payloadType "application/vnd.genuine.directory+json; version=1"; expiresAt at most 14 days after issuedAt.',
    schema: Directory,
  },
  report: {
    title: 'Genuine report, version 1',
    description:
      "What one click in the extension POSTs to a feed's report.endpoint. No other field is ever sent.",
    schema: Report,
  },
};

/** The JSON Schema of one document kind, as a plain JSON value. */
export function jsonSchema(kind: SchemaKind): Record<string, unknown> {
  const about = ABOUT[kind];
  const generated = z.toJSONSchema(about.schema, {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      const s = ctx.jsonSchema;
      if (ctx.zodSchema === Currency) {
        s.enum = [...CURRENCIES].sort();
        s.description = 'ISO 4217 currency code';
      } else if (ctx.zodSchema === Gtin) {
        s.type = 'string';
        s.pattern = '^[0-9 -]{8,20}$';
        s.description =
          'GTIN-8/12/13/14, UPC, EAN or ISBN-13 with a valid GS1 check digit; spaces and hyphens are ignored';
      } else if (ctx.zodSchema === SellerEntry) {
        s.anyOf = [{ required: ['id'] }, { required: ['name'] }, { required: ['domain'] }];
        s.description =
          'A seller, matched by id when the page shows one, else by name; "web" sellers by domain';
      } else if (ctx.zodSchema === BlockedEntry) {
        s.anyOf = [{ required: ['id'] }, { required: ['name'] }];
      } else if (ctx.zodSchema === PriceEntry) {
        s.anyOf = [{ required: ['msrp'] }, { required: ['floor'] }];
      }
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, title: about.title, description: about.description, ...rest };
}
