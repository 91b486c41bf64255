#!/usr/bin/env bash
# The whole test suite, every tier, from a fresh clone: build with warnings as errors, check the
# formatting, run the unit tests, then run the kernel tests again on each narrower SIMD path by
# switching the wider instruction sets off in the runtime. Installs what the suite needs first.
set -euo pipefail
cd "$(dirname "$0")"

step() { printf '\n==> %s\n' "$*"; }

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK is required (dotnet not found on PATH); see https://dot.net" >&2
  exit 2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Debian packages the suite reads: the real Fashion-MNIST (the accuracy test of configs/fashion-mnist.conf).
need_packages=()
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || need_packages+=(dataset-fashion-mnist)
if [ ${#need_packages[@]} -gt 0 ]; then
  step "Installing ${need_packages[*]}"
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_packages[@]}"
fi

step "Restore and build (Release, warnings are errors)"
dotnet build Backprop.Cluster.sln -c Release

step "Formatting (dotnet format --verify-no-changes)"
dotnet format Backprop.Cluster.sln --verify-no-changes --no-restore

step "Unit, actor-level and process tests, widest SIMD path"
dotnet test Backprop.Cluster.sln -c Release --no-build

# DOTNET_EnableAVX512=0 leaves Vector256 the widest path, DOTNET_EnableAVX2=0 leaves Vector128
# (and no FMA), DOTNET_EnableHWIntrinsic=0 leaves scalar code: every kernel runs on every path.
for knob in DOTNET_EnableAVX512 DOTNET_EnableAVX2 DOTNET_EnableHWIntrinsic; do
  step "Kernel tests with $knob=0"
  env "$knob=0" dotnet test tests/Backprop.Numerics.Tests -c Release --no-build
done

step "All tiers passed"
