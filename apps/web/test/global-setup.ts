// One real Postgres for the whole `web` run (shared with other projects in the same process).
export { default } from '@omakase/db/testing/global-setup';
