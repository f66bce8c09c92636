// @ts-check

/**
 * @typedef {object} Product
 * @property {string} sku
 * @property {string} name
 * @property {number} priceCents Unit price in integer cents, VAT excluded.
 */

/** @type {readonly Product[]} */
export const PRODUCTS = Object.freeze([
  { sku: 'TEA-001', name: 'Sencha green tea', priceCents: 1250 },
  { sku: 'TEA-002', name: 'Hojicha roasted tea', priceCents: 1100 },
  { sku: 'CUP-001', name: 'Ceramic tea cup', priceCents: 1800 },
]);

/**
 * @param {string} sku
 * @returns {Product}
 */
export function findProduct(sku) {
  const product = PRODUCTS.find((candidate) => candidate.sku === sku);
  if (!product) throw new Error(`Unknown SKU: ${sku}`);
  return product;
}
