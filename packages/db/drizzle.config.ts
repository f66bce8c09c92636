import { defineConfig } from 'drizzle-kit';

// Run from packages/db: `npx drizzle-kit generate`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './migrations',
});
