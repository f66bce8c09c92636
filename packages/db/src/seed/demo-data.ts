import type { Priority } from '@omakase/domain';

export interface SeedFeature {
  /** Local handle used to wire dependencies. */
  ref: string;
  title: string;
  description: string;
  acceptanceCriteria: string[];
  category: string;
  priority: Priority;
  dependsOn?: string[];
}

/** A small online shop. Dependency depth 3: catalog → cart → checkout → order emails. */
export const DEMO_SHOP_FEATURES: SeedFeature[] = [
  {
    ref: 'catalog-api',
    title: 'Product catalog API',
    description: 'Expose GET /api/products and GET /api/products/:id backed by the products JSON file.',
    acceptanceCriteria: [
      'GET /api/products returns every product with id, name, price and stock',
      'GET /api/products/:id returns 404 for an unknown id',
      'Prices are integers in cents',
    ],
    category: 'backend',
    priority: 1,
  },
  {
    ref: 'product-search',
    title: 'Search products by name',
    description:
      'Add a `q` query parameter to GET /api/products that filters by case-insensitive name match.',
    acceptanceCriteria: [
      '`?q=mug` returns only products whose name contains "mug"',
      'An empty `q` returns all products',
    ],
    category: 'backend',
    priority: 3,
    dependsOn: ['catalog-api'],
  },
  {
    ref: 'catalog-page',
    title: 'Product listing page',
    description: 'Render the catalog as a responsive grid with name, price and an "Add to cart" button.',
    acceptanceCriteria: [
      'The page lists every product from the API',
      'Prices are shown as dollars with two decimals',
      'Out-of-stock products show a disabled button',
    ],
    category: 'frontend',
    priority: 2,
    dependsOn: ['catalog-api'],
  },
  {
    ref: 'cart-api',
    title: 'Shopping cart API',
    description:
      'Session-scoped cart: add, change quantity and remove line items; totals computed server-side.',
    acceptanceCriteria: [
      'POST /api/cart/items adds a product or increases its quantity',
      'Quantities above available stock are rejected with 409',
      'GET /api/cart returns line items and the total in cents',
    ],
    category: 'backend',
    priority: 1,
    dependsOn: ['catalog-api'],
  },
  {
    ref: 'cart-drawer',
    title: 'Cart drawer',
    description:
      'A slide-over drawer showing the cart contents with quantity steppers and the running total.',
    acceptanceCriteria: [
      'Adding a product opens the drawer',
      'Changing a quantity updates the total without reload',
    ],
    category: 'frontend',
    priority: 2,
    dependsOn: ['cart-api', 'catalog-page'],
  },
  {
    ref: 'discount-codes',
    title: 'Discount codes',
    description: 'Support percentage and fixed-amount discount codes applied to the cart total.',
    acceptanceCriteria: [
      'A valid code reduces the total and is shown on the cart',
      'Expired or unknown codes are rejected with a clear message',
      'The total never goes below zero',
    ],
    category: 'backend',
    priority: 3,
    dependsOn: ['cart-api'],
  },
  {
    ref: 'checkout-api',
    title: 'Checkout and order creation',
    description:
      'POST /api/checkout turns the cart into an order, decrements stock and clears the cart atomically.',
    acceptanceCriteria: [
      'A successful checkout returns the order id and total',
      'Stock is decremented for every line item',
      'Checkout of an empty cart returns 400',
    ],
    category: 'backend',
    priority: 1,
    dependsOn: ['cart-api'],
  },
  {
    ref: 'checkout-form',
    title: 'Checkout form',
    description:
      'Collect name, email and shipping address with client-side validation, then submit the order.',
    acceptanceCriteria: [
      'Invalid emails are flagged before submit',
      'A successful order shows a confirmation page with the order id',
    ],
    category: 'frontend',
    priority: 2,
    dependsOn: ['checkout-api', 'cart-drawer'],
  },
  {
    ref: 'order-emails',
    title: 'Order confirmation emails',
    description:
      'Send a confirmation email (logged to the console in development) after every successful order.',
    acceptanceCriteria: [
      'The email contains the order id, line items and total',
      'A failed send does not fail the order',
    ],
    category: 'backend',
    priority: 4,
    dependsOn: ['checkout-api'],
  },
  {
    ref: 'api-tests',
    title: 'API integration test suite',
    description: 'Cover catalog, cart and checkout endpoints with integration tests run by `npm test`.',
    acceptanceCriteria: [
      'Tests start the server on a random port',
      'Every endpoint has at least one success and one failure case',
      '`npm test` exits non-zero when a test fails',
    ],
    category: 'testing',
    priority: 2,
    dependsOn: ['checkout-api'],
  },
  {
    ref: 'ci-build',
    title: 'Build script and CI check',
    description:
      'Add `npm run build` that type-checks and bundles, and a CI workflow running build and tests.',
    acceptanceCriteria: ['`npm run build` fails on a type error', 'The workflow runs on every pull request'],
    category: 'infra',
    priority: 3,
  },
  {
    ref: 'request-logging',
    title: 'Structured request logging',
    description:
      'Log one JSON line per request with method, path, status and duration; no bodies or secrets.',
    acceptanceCriteria: [
      'Every request produces exactly one log line',
      'Authorization headers are never logged',
    ],
    category: 'infra',
    priority: 4,
  },
];

export const OTHER_API_FEATURES: SeedFeature[] = [
  {
    ref: 'health',
    title: 'Health endpoint',
    description: 'GET /health returns 200 with the build version.',
    acceptanceCriteria: ['Returns 200 and `{ "status": "ok" }`', 'Includes the version from package.json'],
    category: 'backend',
    priority: 2,
  },
  {
    ref: 'rate-limit',
    title: 'Per-client rate limiting',
    description: 'Limit each API key to 100 requests per minute.',
    acceptanceCriteria: ['The 101st request in a minute gets 429', 'The Retry-After header is set'],
    category: 'backend',
    priority: 2,
  },
  {
    ref: 'openapi',
    title: 'OpenAPI document',
    description: 'Serve an OpenAPI 3.1 document describing every endpoint.',
    acceptanceCriteria: [
      'GET /openapi.json validates against the 3.1 schema',
      'Rate-limit responses are documented',
    ],
    category: 'backend',
    priority: 3,
    dependsOn: ['health', 'rate-limit'],
  },
];

export const SANDBOX_FEATURES: SeedFeature[] = [
  {
    ref: 'hello',
    title: 'Hello world script',
    description: 'Add `hello.js` printing a greeting with the name given as the first argument.',
    acceptanceCriteria: ['`node hello.js Ada` prints "Hello, Ada!"', 'Without an argument it greets "world"'],
    category: 'backend',
    priority: 0,
  },
];
