/** Go modules and Cargo crates: the toolchains' own standard commands. */
import type { Detected, RepoSnapshot } from './types';

export function detectGo(repo: RepoSnapshot): Detected {
  if (!repo.files.includes('go.mod')) return {};
  const source = 'go.mod';
  return {
    setup: { command: 'go mod download', source },
    test: { command: 'go test ./...', source },
    lint: { command: 'go vet ./...', source },
    build: { command: 'go build ./...', source },
  };
}

export function detectCargo(repo: RepoSnapshot): Detected {
  if (!repo.files.includes('Cargo.toml')) return {};
  const source = 'Cargo.toml';
  return {
    setup: { command: 'cargo fetch', source },
    test: { command: 'cargo test', source },
    lint: { command: 'cargo clippy', source },
    typecheck: { command: 'cargo check', source },
    build: { command: 'cargo build', source },
  };
}
