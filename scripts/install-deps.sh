#!/usr/bin/env bash
# Installs the Debian 12 packages PromptScope needs to build, test and run, and only those that are missing.
# Runs apt-get directly as root, through sudo otherwise. Nothing is fetched from anywhere but Debian's repositories.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6opengl6-dev qt6-svg-dev libqt6svg6 libgl-dev
  qt6-qpa-plugins
  libsimdjson-dev libsqlite3-dev libboost-math-dev libpq-dev
  qtkeychain-qt6-dev
  libbenchmark-dev
  postgresql
  fonts-dejavu-core
  xvfb xauth
  time
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  apt_get=(apt-get)
elif command -v sudo >/dev/null 2>&1; then
  apt_get=(sudo apt-get)
else
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run this script as root or install sudo" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${apt_get[@]}" update -qq
"${apt_get[@]}" install -y -qq --no-install-recommends "${missing[@]}"
