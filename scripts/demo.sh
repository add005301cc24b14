#!/usr/bin/env bash
# The main job on the bundled sample data: inspect -> train -> predict -> simulate -> reorder -> report.
# Everything lands in demo-out/ (git-ignored); data goes to files, talk to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
S=data/samples
O=demo-out
mkdir -p "$O"
sc() { node bin/stockcast.js "$@"; }

echo "== data inspect" >&2
sc data inspect --data "$S/sales.csv" --format table

echo "== forecast train (small demo configuration)" >&2
sc forecast train --data "$S/sales.csv" --model "$O/model" --horizon 56 --epochs 8 --ensemble 1 --seed 42

echo "== forecast predict" >&2
sc forecast predict --model "$O/model" --data "$S/sales.csv" --future "$S/promo_plan.csv" --out "$O/forecast.csv"
head -5 "$O/forecast.csv"

echo "== stock simulate" >&2
sc stock simulate --forecast "$O/forecast.csv" --lead-times "$S/lead_times.csv" --service-level 0.95 --seed 42 --out "$O/policy.csv"
head -5 "$O/policy.csv"

echo "== stock reorder" >&2
sc stock reorder --policy "$O/policy.csv" --inventory "$S/inventory.csv" --format table

echo "== report" >&2
sc report --out "$O/report.html" --data "$S/sales.csv" --forecast "$O/forecast.csv" --policy "$O/policy.csv"
echo "report: $(cd "$O" && pwd)/report.html (open it in a browser)"
