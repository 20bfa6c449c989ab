import { adapter as aliexpress, reader as aliexpressReader } from './aliexpress';
import { adapter as amazon, reader as amazonReader } from './amazon';
import { adapter as bestbuy, reader as bestbuyReader } from './bestbuy';
import { adapter as ebay, reader as ebayReader } from './ebay';
import { adapter as etsy, reader as etsyReader } from './etsy';
import { adapter as flipkart, reader as flipkartReader } from './flipkart';
import { adapter as jd, reader as jdReader } from './jd';
import { adapter as mercadolibre, reader as mercadolibreReader } from './mercadolibre';
import { adapter as mercari, reader as mercariReader } from './mercari';
import { adapter as rakuten, reader as rakutenReader } from './rakuten';
import { adapter as shopee, reader as shopeeReader } from './shopee';
import { adapter as taobao, reader as taobaoReader } from './taobao';
import { adapter as target, reader as targetReader } from './target';
import { adapter as tmall, reader as tmallReader } from './tmall';
import type { SiteAdapter, SiteReader } from './types';
import { adapter as walmart, reader as walmartReader } from './walmart';

/**
 * Every marketplace adapter, one file each (lib/sites/<name>.ts, each exporting
 * `export const adapter: SiteAdapter`). Domains never overlap and no adapter claims another's
 * example URLs, which test/unit/sites/urls.test.ts checks.
 *
 * The generic schema.org adapter (lib/sites/schema-org.ts) is deliberately NOT here: it is not
 * picked by hostname but only used on shops the user granted (extractGeneric / { generic: true }).
 */
export const ADAPTERS: readonly SiteAdapter[] = [
  amazon,
  ebay,
  walmart,
  aliexpress,
  taobao,
  tmall,
  jd,
  etsy,
  bestbuy,
  target,
  shopee,
  mercadolibre,
  rakuten,
  flipkart,
  mercari,
];

/**
 * The same adapters, in the same order, without their example URLs: what the marketplace content
 * script ships (test/unit/sites/urls.test.ts checks they are ADAPTERS' own).
 */
export const READERS: readonly SiteReader[] = [
  amazonReader,
  ebayReader,
  walmartReader,
  aliexpressReader,
  taobaoReader,
  tmallReader,
  jdReader,
  etsyReader,
  bestbuyReader,
  targetReader,
  shopeeReader,
  mercadolibreReader,
  rakutenReader,
  flipkartReader,
  mercariReader,
];
