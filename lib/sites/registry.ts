import { adapter as aliexpress } from './aliexpress';
import { adapter as amazon } from './amazon';
import { adapter as bestbuy } from './bestbuy';
import { adapter as ebay } from './ebay';
import { adapter as etsy } from './etsy';
import { adapter as flipkart } from './flipkart';
import { adapter as jd } from './jd';
import { adapter as mercadolibre } from './mercadolibre';
import { adapter as mercari } from './mercari';
import { adapter as rakuten } from './rakuten';
import { adapter as shopee } from './shopee';
import { adapter as taobao } from './taobao';
import { adapter as target } from './target';
import { adapter as tmall } from './tmall';
import type { SiteAdapter } from './types';
import { adapter as walmart } from './walmart';

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
