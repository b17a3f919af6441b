#!/usr/bin/env bash
# Compare the hub of BASE_REF with HEAD's: the ingest benchmark, alternated, N rounds.
#
#   bench/compare.sh [--rounds N] [--seconds S] [--connections C] [--postgres SERVER_URL]
#                    [--no-ceiling] [--alerts] [--head-ref REF | --working-tree] BASE_REF
#
# Both sides are checked out into temporary worktrees (removed on exit) and run with this
# checkout's venv and load generator, PYTHONPATH pointing at the side's backend/src and
# agent/src; each side's commit and homelab_cmd.__file__ are printed before any run.
# --working-tree measures this checkout as it is instead of a clean HEAD. Options are described
# in bench/_compare.py --help.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
base_ref="" head_ref=HEAD working_tree=0 pass=()
while (($#)); do
  case "$1" in
    --head-ref) head_ref=$2; shift 2 ;;
    --working-tree) working_tree=1; shift ;;
    --rounds | --seconds | --connections | --postgres | --alert-seconds | --alert-rounds)
      pass+=("$1" "$2"); shift 2 ;;
    --no-ceiling | --alerts) pass+=("$1"); shift ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
    *) base_ref=$1; shift ;;
  esac
done
if [[ -z $base_ref ]]; then
  echo "usage: bench/compare.sh [options] BASE_REF (--help)" >&2
  exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/homelab-compare.XXXXXX")
cleanup() {
  for side in base head; do
    if [[ -d $tmp/$side ]]; then
      git -C "$root" worktree remove --force "$tmp/$side" || true
    fi
  done
  rm -rf "$tmp"
  git -C "$root" worktree prune
}
trap cleanup EXIT INT TERM

git -C "$root" worktree add --detach --quiet "$tmp/base" "$base_ref"
if ((working_tree)); then
  head_dir=$root
else
  git -C "$root" worktree add --detach --quiet "$tmp/head" "$head_ref"
  head_dir=$tmp/head
fi
"$root/.venv/bin/python" "$root/bench/_compare.py" --base "$tmp/base" --head "$head_dir" "${pass[@]}"
