#!/bin/bash
# Packs what a GPU machine without .NET or NuGet access needs to run `recsys` on CUDA through the PyTorch already
# installed there (no libtorch-cuda NuGet package is served to this project): the .NET runtime, the CLI published
# with -p:Cuda=true (TorchSharp without the CPU libtorch), and the datasets the checks use.
# Usage: Eval/results/cuda/make-bundle.sh OUT_DIR GOWALLA_DATASET_DIR LASTFM_VALID_DATASET_DIR
set -euo pipefail
out=$(readlink -f "$1"); gowalla=$(readlink -f "$2"); lastfm=$(readlink -f "$3")
root=$(cd "$(dirname "$0")/../../.." && pwd)
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
stage=$(mktemp -d); trap 'rm -rf "$stage"' EXIT
mkdir -p "$out/data" "$stage/dotnet/host" "$stage/dotnet/shared"
cp "$dotnet_root/dotnet" "$stage/dotnet/"
cp -r "$dotnet_root/host/fxr" "$stage/dotnet/host/"
cp -r "$dotnet_root/shared/Microsoft.NETCore.App" "$stage/dotnet/shared/"
dotnet publish "$root/cli" -c Release -p:Cuda=true -r linux-x64 --self-contained false -o "$stage/app" > /dev/null
rm -f "$stage"/app/*.pdb "$stage"/app/*.xml "$stage"/app/*.dbg
(cd "$stage" && tar cJf "$out/dotnet-rt.tar.xz" dotnet && tar cJf "$out/app.tar.xz" app)
rm -rf "$out/data/gowalla" "$out/data/lfmv"
cp -r "$gowalla" "$out/data/gowalla"; cp -r "$lastfm" "$out/data/lfmv"
cp "$root/Eval/results/cuda/device-check.sh" "$out/run.sh"
du -sh "$out"
