import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addItem, emptyCart, itemCount } from '../src/cart.js';

test('adding the same SKU twice merges the lines', () => {
  const cart = addItem(addItem(emptyCart(), 'TEA-001', 1), 'TEA-001', 2);
  assert.deepEqual(cart, [{ sku: 'TEA-001', quantity: 3 }]);
  assert.equal(itemCount(cart), 3);
});

test('unknown SKUs and bad quantities are rejected', () => {
  assert.throws(() => addItem(emptyCart(), 'NOPE-404', 1), /Unknown SKU/);
  assert.throws(() => addItem(emptyCart(), 'TEA-001', 0), /positive integer/);
});
