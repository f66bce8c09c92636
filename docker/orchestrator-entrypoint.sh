#!/bin/sh
# Composes DATABASE_URL from the RDS secret's fields when it is not given whole (infra/ injects
# DB_HOST/DB_PORT/DB_USER/DB_PASSWORD/DB_NAME; the generated password has no URL-unsafe characters).
set -eu
if [ -z "${DATABASE_URL:-}" ] && [ -n "${DB_HOST:-}" ]; then
  DATABASE_URL="postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:${DB_PORT}/${DB_NAME}?sslmode=require"
  export DATABASE_URL
fi
exec node --import /opt/tsx/node_modules/tsx/dist/loader.mjs apps/orchestrator/src/main.ts
