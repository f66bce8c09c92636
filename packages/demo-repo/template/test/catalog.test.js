import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findProduct, PRODUCTS } from '../src/catalog.js';

test('every product has a unique SKU and a positive price', () => {
  assert.equal(new Set(PRODUCTS.map((product) => product.sku)).size, PRODUCTS.length);
  assert.ok(PRODUCTS.every((product) => product.priceCents > 0));
});

test('findProduct returns the product for a known SKU', () => {
  assert.equal(findProduct('CUP-001').name, 'Ceramic tea cup');
});
