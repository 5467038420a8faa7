#!/usr/bin/env bash
# Renders the application icon's PNG sizes from its SVG (needs librsvg2-bin).
# The PNGs are kept in the repository, so a build needs no SVG renderer;
# run this again after changing resources/icons/org.hookline.Hookline.svg.
set -euo pipefail
icons="$(cd "$(dirname "${BASH_SOURCE[0]}")/../resources/icons" && pwd)"
for size in 16 22 24 32 48 64 128 256; do
    mkdir -p "$icons/hicolor/${size}x${size}/apps"
    rsvg-convert -w "$size" -h "$size" "$icons/org.hookline.Hookline.svg" \
        -o "$icons/hicolor/${size}x${size}/apps/org.hookline.Hookline.png"
done
