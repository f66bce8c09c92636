import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addItem, emptyCart } from '../src/cart.js';
import { applyDiscount, subtotalCents, totalCents } from '../src/pricing.js';

test('subtotal and total are computed in integer cents', () => {
  const cart = addItem(addItem(emptyCart(), 'TEA-001', 2), 'CUP-001', 1);
  assert.equal(subtotalCents(cart), 4300);
  assert.equal(totalCents(cart), 5160);
});

test('discounts round to the nearest cent and stay within bounds', () => {
  assert.equal(applyDiscount(999, 10), 899);
  assert.throws(() => applyDiscount(1000, 120), /between 0 and 100/);
});
