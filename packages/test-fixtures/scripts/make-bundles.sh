#!/usr/bin/env bash
# Rebuilds repos/*.bundle from local mirrors of the upstream repositories (not run by tests).
# Usage: scripts/make-bundles.sh <dir holding lukeed+dequal/repo and benjaminp+six/repo>
# Each bundle holds ONE root commit on `main` whose tree is the upstream commit's tree (six:
# minus the paths that name a package index, see README.md). Author date and author are the
# upstream commit's; the committer is ours, so nobody mistakes it for an upstream commit.
set -euo pipefail
mirrors=$(cd "$1" && pwd)
out=$(cd "$(dirname "$0")/../repos" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_COMMITTER_NAME='Omakase Fixtures' GIT_COMMITTER_EMAIL='fixtures@omakase.local'

# fixture <name> <owner+repo> <upstream commit> <prune command run inside the checkout>
fixture() {
  local name=$1 mirror=$2 commit=$3 prune=$4
  git init -q "$work/$name"
  git -C "$work/$name" fetch -q --depth 1 "file://$mirrors/$mirror/repo" "$commit"
  git -C "$work/$name" checkout -q --detach FETCH_HEAD
  (cd "$work/$name" && eval "$prune")
  git -C "$work/$name" add -A
  local tree subject
  tree=$(git -C "$work/$name" write-tree)
  subject=$(git -C "$work/$name" log -1 --format=%s "$commit")
  export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_AUTHOR_DATE GIT_COMMITTER_DATE
  GIT_AUTHOR_NAME=$(git -C "$work/$name" log -1 --format=%an "$commit")
  GIT_AUTHOR_EMAIL=$(git -C "$work/$name" log -1 --format=%ae "$commit")
  GIT_AUTHOR_DATE=$(git -C "$work/$name" log -1 --format=%aI "$commit")
  GIT_COMMITTER_DATE=$GIT_AUTHOR_DATE
  local root
  root=$(printf 'fixture: %s at %s\n\nUpstream commit %s (%s).\n' \
    "${mirror/+//}" "${commit:0:12}" "$commit" "$subject" | git -C "$work/$name" commit-tree "$tree")
  git -C "$work/$name" update-ref refs/heads/main "$root"
  git -C "$work/$name" bundle create -q "$out/$name.bundle" main
}

fixture dequal lukeed+dequal 37c21f675c1f538f2d4b63ebf19a161411e7a5fd ':'
# six: GitHub workflow files, the Sphinx docs and README's first badge name the package index.
fixture six benjaminp+six c8e394065cd541a16c040515dc0afb85cf22a7c3 \
  'git rm -rq .github documentation && sed -i 1,4d README.rst'
