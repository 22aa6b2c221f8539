# Gowalla (LightGCN split) imported once:
recsys data import --format lightgcn --train /work/shared/datasets/gowalla/train.txt --test /work/shared/datasets/gowalla/test.txt --out /tmp/gh/gowalla
# paper-defaults.json (FastRP's BlogCatalog settings: dim 512, weights 1,1,7.81,45.28, beta -0.628, seed 42):
recsys eval --data /tmp/gh/gowalla --model fastrp --json > paper-defaults.json
# best.json (best of the sweep in README.md):
recsys eval --data /tmp/gh/gowalla --model fastrp --weights 1,1,1,1 --dim 2048 --json > best.json
