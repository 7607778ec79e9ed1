#!/usr/bin/env bash
# Adds declarations of nopCommerce 4.90's API to the reference selection and regenerates the reference sources.
# Usage: build/tools/nopref-add.sh 'Nop.Core.Domain.Orders.Order | property | string CustomOrderNumber' ...
#        (each argument is a fixed-string prefix of lines in shared/nopcommerce/api-4.90.txt)
set -euo pipefail
cd "$(dirname "$0")/../.."
api=../shared/nopcommerce/api-4.90.txt
sel=build/NopReference/api-selection.txt
for p in "$@"; do
  if ! grep -F -- "$p" "$api" | grep -v '^#' | grep -q .; then echo "not in nopCommerce's API: $p" >&2; exit 1; fi
  grep -F -- "$p" "$api" | grep -v '^#' >> "$sel"
done
tmp=$(mktemp); { grep '^#' "$sel" | awk '!seen[$0]++'; grep -v '^#' "$sel" | grep . | LC_ALL=C sort -u; } > "$tmp" && mv "$tmp" "$sel"
python3 build/tools/gen-nopreference.py
