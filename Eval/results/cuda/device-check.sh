#!/bin/bash
# Runs on the GPU machine from the repository root, with the bundle of make-bundle.sh in .devbundle/:
# TorchSharp 0.107 on the image's PyTorch (2.11, CUDA 13) through LD_LIBRARY_PATH. Writes results under $OUT.
B=$PWD/.devbundle
log() { echo "=== $(date +%T) $*"; }
cd /tmp && tar xJf $B/dotnet-rt.tar.xz && tar xJf $B/app.tar.xz
export DOTNET_ROOT=/tmp/dotnet PATH=/tmp/dotnet:$PATH DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
export LD_LIBRARY_PATH=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__)+"/lib")')
nvidia-smi -L; python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'; nproc
R=/tmp/app/recsys
D=$B/data
log retrieve cpu vs torch-cuda
python3 -c "
import numpy as np; r=np.random.default_rng(1)
np.save('/tmp/q.npy', r.standard_normal((3000,64),dtype=np.float32)); np.save('/tmp/x.npy', r.standard_normal((50000,64),dtype=np.float32))"
timeout 120 $R retrieve --queries /tmp/q.npy --items /tmp/x.npy --k 20 --backend cpu --out /tmp/ids_cpu.npy --json
timeout 120 $R retrieve --queries /tmp/q.npy --items /tmp/x.npy --k 20 --backend torch --device cuda --out /tmp/ids_cuda.npy --json
python3 -c "
import numpy as np; a=np.load('/tmp/ids_cpu.npy'); b=np.load('/tmp/ids_cuda.npy'); print('retrieve ids equal:', (a==b).all(), 'rows differing:', int((a!=b).any(1).sum()))"
log bench mips gowalla size on cuda
timeout 150 $R bench mips --data $D/gowalla --device cuda --repeats 5 --latency-items 1000000 --json > $OUT/mips.json; echo rc=$?
log lightgcn 5 epochs cuda
timeout 150 $R train --data $D/gowalla --model lightgcn --epochs 5 --eval-every 5 --patience 0 --device cuda --out /tmp/lg --json; cp /tmp/lg/run.json $OUT/lightgcn-cuda.run.json
log kgat lfmv 5 epochs cuda
timeout 90 $R train --data $D/lfmv --model kgat --epochs 5 --eval-every 5 --patience 0 --device cuda --out /tmp/kg --json; cp /tmp/kg/run.json $OUT/kgat-cuda.run.json
log ngcf 2 epochs cuda
timeout 150 $R train --data $D/gowalla --model ngcf --epochs 2 --eval-every 2 --patience 0 --device cuda --out /tmp/ng --json; cp /tmp/ng/run.json $OUT/ngcf-cuda.run.json
log mf 1000 epochs cuda, as far as the time allows
timeout 290 $R train --data $D/gowalla --model mf --epochs 1000 --eval-every 20 --patience 0 --device cuda --out /tmp/mf > /dev/null; cp /tmp/mf/run.json $OUT/mf-cuda.run.json
log done
