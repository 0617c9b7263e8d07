#!/usr/bin/env bash
# Install the peer tools the benchmark compares against.
set -euo pipefail
SUDO=""; if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends po4a pandoc gettext time >/dev/null
python3 -m pip install -q --disable-pip-version-check "translate-toolkit[markdown]" mistletoe
