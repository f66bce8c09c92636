// @ts-check
import { findProduct } from './catalog.js';

/** @typedef {{ sku: string, quantity: number }} CartLine */

/** @returns {readonly CartLine[]} */
export function emptyCart() {
  return Object.freeze([]);
}

/**
 * Returns a new cart with `quantity` more of `sku` (lines are merged by SKU).
 * @param {readonly CartLine[]} cart
 * @param {string} sku
 * @param {number} quantity
 * @returns {readonly CartLine[]}
 */
export function addItem(cart, sku, quantity = 1) {
  if (!Number.isInteger(quantity) || quantity <= 0) throw new Error('Quantity must be a positive integer');
  findProduct(sku); // rejects unknown SKUs early
  const existing = cart.find((line) => line.sku === sku);
  if (!existing) return Object.freeze([...cart, { sku, quantity }]);
  return Object.freeze(
    cart.map((line) => (line.sku === sku ? { sku, quantity: line.quantity + quantity } : line)),
  );
}

/**
 * @param {readonly CartLine[]} cart
 * @returns {number} the number of items, all lines together
 */
export function itemCount(cart) {
  return cart.reduce((count, line) => count + line.quantity, 0);
}
