#!/usr/bin/env bash
# A static policy, end to end (docs/reorder-backtest.md, "Measured: a static policy"): train on the
# sales before CUT, predict HORIZON periods from CUT with the actual covariates as the plan,
# simulate a policy at each target, replay it from CUT to the end of the data, and score the
# simulation's independent-days assumption (lead-sum-errors.mjs). Built with `npm run build` first.
#
#   bash bench/experiments/static-policy.sh SALES.csv CUT HORIZON LEADTIMES.csv OUTDIR [targets]
#
# SALES.csv: date,sku,units then the covariate columns (all of them are the plan; split with awk,
# so no quoted fields); CUT: first
# replayed date (YYYY-MM-DD); LEADTIMES.csv: sku,lead_time_days[,...]; OUTDIR: a new or empty
# folder for the model, forecast, policies and summaries. Weekly data: PERIOD_DAYS=7. Extra
# `stock simulate` options go in SIMULATE_OPTS (e.g. "--valid-days 28 --extend-horizon
# repeat-last"). Prints one summary row per target (cycle_service_level is the 7th column) and
# the k-period error spreads.
# Example (the samples, about 10 minutes on 2 cores):
#   bash bench/experiments/static-policy.sh data/samples/sales.csv 2026-08-01 28 data/samples/lead_times.csv /tmp/static
set -euo pipefail
[ $# -ge 5 ] || { sed -n 2,17p "$0" >&2; exit 2; }
SALES=$1 CUT=$2 H=$3 LT=$4 OUT=$5 TARGETS=${6:-0.90,0.95,0.98}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SC="node $ROOT/bin/stockcast.js"
mkdir -p "$OUT"
[ -z "$(ls -A "$OUT")" ] || { echo "$OUT is not empty" >&2; exit 2; }
awk -F, -v cut="$CUT" 'NR == 1 || $1 < cut' "$SALES" > "$OUT/history.csv"
# The plan: every column but units, for the dates the forecast covers (rows missing there: --plan-fill last).
LAST=$(node -e "const d = new Date(process.argv[1] + 'T00:00:00Z'); d.setUTCDate(d.getUTCDate() + Number(process.argv[2]) * Number(process.argv[3]) - 1); console.log(d.toISOString().slice(0, 10))" "$CUT" "$H" "${PERIOD_DAYS:-1}")
awk -F, -v cut="$CUT" -v last="$LAST" 'BEGIN { OFS = "," }
  NR == 1 { for (i = 1; i <= NF; i++) if ($i == "units") u = i; }
  NR == 1 || ($1 >= cut && $1 <= last) { line = ""; for (i = 1; i <= NF; i++) if (i != u) line = line (line == "" ? "" : ",") $i; print line }' "$SALES" > "$OUT/plan.csv"
$SC forecast train --data "$OUT/history.csv" --model "$OUT/model" --horizon "$H" -q
$SC forecast predict --model "$OUT/model" --data "$OUT/history.csv" --future "$OUT/plan.csv" --plan-fill last --out "$OUT/forecast.csv" -q
for t in ${TARGETS//,/ }; do
  # shellcheck disable=SC2086
  $SC stock simulate --forecast "$OUT/forecast.csv" --lead-times "$LT" --service-level "$t" ${SIMULATE_OPTS:-} --out "$OUT/policy-$t.csv" -q
  $SC stock backtest --data "$SALES" --policy "$OUT/policy-$t.csv" --from "$CUT" --lead-times "$LT" --out "$OUT/backtest-$t.csv" -q
  tail -n 1 "$OUT/backtest-$t.csv"
done
node "$ROOT/bench/experiments/lead-sum-errors.mjs" "$OUT/forecast.csv" "$SALES"
