export { type BrandDetection, detectBrand } from './brand';
export { brandInfo, checkProduct, messageKeyOf, worstLevel } from './check';
export * from './types';
