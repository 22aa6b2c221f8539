while pgrep -f "bash sgdb40.sh" > /dev/null; do sleep 15; done
R=/work/bin-lead35/recsys
SRC=/work/runs/s30/dnis-lgcn/dnis0.25-2020
D=/work/runs/s30/dnis-lgcn/gowv
O=/work/runs/s35/fork40
mkdir -p $O/eval $O/logs
for c in "0.5" "0.5 16" "0.75" "0.125"; do
  set -- $c; b=$1; m=${2:-}; name=dnis$b${m:+min$m}
  [[ -f $O/$name-2020/run.json ]] || $R train --from-search $SRC --data $D --dnis-budget $b ${m:+--dnis-min-width $m} --out $O/$name-2020 > $O/logs/$name-2020.log 2>&1
  [[ -f $O/eval/$name-2020.json ]] || $R eval --data $D --run $O/$name-2020 --k 20 --json --out $O/eval/$name-2020 --force > $O/eval/$name-2020.json
done
