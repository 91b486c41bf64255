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

# Debian packages the suite reads: the real Fashion-MNIST (the accuracy test of configs/fashion-mnist.conf);
# a font for the text of the run plots (ScottPlot draws with SkiaSharp, whose Linux library reads
# /usr/share/fonts itself); headless Chromium, which renders `backprop report`'s page in the report tests.
need_packages=()
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || need_packages+=(dataset-fashion-mnist)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_packages+=(fonts-dejavu-core)
command -v chromium >/dev/null 2>&1 || need_packages+=(chromium)
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

# The long tier: process tests that kill, pause or fail over real nodes, or run 3,500 steps with
# churn (a minute or more each). Plain dotnet test skips them to stay fast; here they all run.
step "Long process tests: killed, paused and failed-over nodes, endurance"
BACKPROP_LONG_TESTS=1 dotnet test tests/Backprop.IntegrationTests -c Release --no-build --filter "Tier=long"

# DOTNET_EnableAVX512=0 leaves Vector256 the widest path, DOTNET_EnableAVX2=0 leaves Vector128
# (and no FMA), DOTNET_EnableHWIntrinsic=0 leaves scalar code: every kernel runs on every path.
for knob in DOTNET_EnableAVX512 DOTNET_EnableAVX2 DOTNET_EnableHWIntrinsic; do
  step "Kernel tests with $knob=0"
  env "$knob=0" dotnet test tests/Backprop.Numerics.Tests -c Release --no-build
done

# The deployment tier: docker-compose (built from deploy/Dockerfile), a worker killed under compose,
# a cluster across Linux network namespaces with rate-limited links (one of them cut and healed
# mid-job), and run folders on a tmpfs that fills up or is remounted read-only. It needs root, Docker
# and iproute2; it installs them from Debian when missing and starts dockerd when it is not running.
step "Deployment tier: docker-compose, network namespaces, full and read-only run folders"
if [ "$(id -u)" -ne 0 ] && ! sudo -n true 2>/dev/null; then
  echo "test.sh: the deployment tier needs root (Docker, network namespaces, mounts); run test.sh as root to include it" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
missing=()
command -v docker >/dev/null 2>&1 || missing+=(docker.io)
command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
command -v ip >/dev/null 2>&1 && command -v tc >/dev/null 2>&1 || missing+=(iproute2)
command -v python3 >/dev/null 2>&1 || missing+=(python3)   # scaling.sh reads its results with it
if [ ${#missing[@]} -gt 0 ]; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if ! $sudo docker info >/dev/null 2>&1; then
  echo "starting dockerd (log: /tmp/backprop-dockerd.log)"
  $sudo setsid dockerd >/tmp/backprop-dockerd.log 2>&1 </dev/null &
  for _ in $(seq 1 60); do $sudo docker info >/dev/null 2>&1 && break; sleep 1; done
  $sudo docker info >/dev/null 2>&1 || { echo "test.sh: dockerd did not start (see /tmp/backprop-dockerd.log)" >&2; exit 1; }
fi
$sudo env BACKPROP_DEPLOY_TESTS=1 PATH="$PATH" dotnet test tests/Backprop.DeployTests -c Release --no-build --logger "console;verbosity=detailed"

step "All tiers passed"
