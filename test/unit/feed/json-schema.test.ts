import { describe, expect, it } from 'vitest';
import { Directory, Feed, Report } from '../../../lib/feed';
import { jsonSchema } from '../../../lib/feed/json-schema';

type Schema = {
  properties: Record<string, Schema>;
  items: Schema;
  required?: string[];
  anyOf?: object[];
  enum?: string[];
} & Record<string, unknown>;

describe('jsonSchema', () => {
  it('describes every field of the zod schemas', () => {
    const feed = jsonSchema('feed') as Schema;
    expect(feed.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(feed.title).toMatch(/brand feed/);
    expect(Object.keys(feed.properties).sort()).toEqual(Object.keys(Feed.shape).sort());
    expect(feed.required?.sort()).toEqual([
      'brand',
      'brandId',
      'channels',
      'expiresAt',
      'issuedAt',
      'version',
    ]);
    expect(Object.keys((jsonSchema('directory') as Schema).properties).sort()).toEqual(
      Object.keys(Directory.shape).sort(),
    );
    expect(Object.keys((jsonSchema('report') as Schema).properties).sort()).toEqual(
      Object.keys(Report.shape).sort(),
    );
  });

  it('carries what the refinements say: currencies, GTIN digits, one-of requirements', () => {
    const feed = jsonSchema('feed') as Schema;
    const product = feed.properties.products?.items as Schema;
    expect(product.properties.gtin?.pattern).toBe('^[0-9 -]{8,20}$');
    const price = product.properties.prices?.items as Schema;
    expect(price.properties.currency?.enum).toContain('USD');
    expect(price.properties.currency?.enum).not.toContain('XXX');
    expect(price.anyOf).toEqual([{ required: ['msrp'] }, { required: ['floor'] }]);
    const channel = feed.properties.channels?.items as Schema;
    const seller = channel.properties.sellers?.items as Schema;
    expect(seller.anyOf).toEqual([{ required: ['id'] }, { required: ['name'] }, { required: ['domain'] }]);
  });

  it('leaves feeds open to unknown fields and closes reports', () => {
    expect((jsonSchema('feed') as Schema).additionalProperties).toBeUndefined();
    expect((jsonSchema('report') as Schema).additionalProperties).toBe(false);
    expect(JSON.parse(JSON.stringify(jsonSchema('directory')))).toEqual(jsonSchema('directory'));
  });
});
