# Sourced by seeds.sh and scale-select.sh: the table of paired tests against the ID table (lightgcn-full-SEED).
# RUN_NAME_FUNCTION GROUP SEED prints the name of the run compared with the ID table.
paired_table() { # paired_table RUN_NAME_FUNCTION GROUP...
  local name=$1; shift
  echo "| table | slice | $(for s in $SEEDS; do printf 'seed %s | ' "$s"; done)"
  echo "|---|---|$(for s in $SEEDS; do printf -- '---|'; done)"
  for g in "$@"; do
    for slice in all cold longtail warm; do
      local row="| $g | $slice |"
      for s in $SEEDS; do
        local a="$OUT/eval/lightgcn-full-$s/test-$slice" b="$OUT/eval/$($name "$g" "$s")/test-$slice"
        if [[ -d $a && -d $b ]]; then
          row+=" $($RECSYS compare "$a" "$b" --metric recall@20 --json | jq -r 'def p: if . < 0.0001 then "< 1e-4" else (.*10000|round/10000|tostring) end;
            .metrics["recall@20"] | "\(.diff*10000|round/10000) (p \(.tTestP|p), \(.wilcoxonP|p))"') |"
        else row+=" – |"; fi
      done
      echo "$row"
    done
  done
}
