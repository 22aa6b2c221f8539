# Search-epoch cost on Gowalla, LightGCN, nothing else running (the w32 training is paused by the caller).
D=/work/runs/s33/dnis-lgcn/gowv
R=/work/bin-lead35/recsys
A="--data $D --seed 2020 --model lightgcn --lr 0.001 --reg 1e-4 --batch 2048 --eval-every 10 --patience 0 --device cpu"
for order in first second; do
  $R train $A --epochs 3 --user-table dnis --item-table dnis --dnis-blocks 10 --dnis-warmup 0 --dnis-search-epochs 2 --dnis-budget 0.5 --dnis-order $order --out /work/runs/s35/time-$order
done
$R train $A --epochs 2 --out /work/runs/s35/time-plain
