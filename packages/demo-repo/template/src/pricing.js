// @ts-check
import { findProduct } from './catalog.js';

export const VAT_RATE = 0.2;

/**
 * @param {readonly import('./cart.js').CartLine[]} cart
 * @returns {number} subtotal in cents, VAT excluded
 */
export function subtotalCents(cart) {
  return cart.reduce((sum, line) => sum + findProduct(line.sku).priceCents * line.quantity, 0);
}

/**
 * Applies a percentage discount, rounding to the nearest cent.
 * @param {number} amountCents
 * @param {number} percent between 0 and 100
 */
export function applyDiscount(amountCents, percent) {
  if (percent < 0 || percent > 100) throw new Error('Discount must be between 0 and 100 percent');
  return Math.round(amountCents * (1 - percent / 100));
}

/**
 * @param {readonly import('./cart.js').CartLine[]} cart
 * @returns {number} total in cents, VAT included
 */
export function totalCents(cart) {
  return Math.round(subtotalCents(cart) * (1 + VAT_RATE));
}
