#!/usr/bin/env bash
# The photo set: real camera-sized JPEGs next to today's 768x576 image. Derives, with Debian's
# ImageMagick, from sample_car.jpg (a 4912x2760 progressive camera JPEG, 13.5 MP) a 4032x3024
# baseline JPEG (quality 92, 4:2:0, the shape of a 12 MP phone photo) and a 1920x1080 one from
# that, into bench/photos/ (ignored by git: no photo is committed). Prints the set, one
# "NAME PATH" line an image, largest first; the derived files are made once and then reused.
#
#   bench/photos.sh [--check]      --check: also print what `identify -verbose` says of each
#
# The car comes from the shared models folder: $MODEL_SOURCE_DIR (default ../shared/models
# beside the repository), community/keras-cifar10-cnn/sample_car.jpg.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
models="${MODEL_SOURCE_DIR:-$repo/../shared/models}"
car="$models/community/keras-cifar10-cnn/sample_car.jpg"
out="$here/photos"
# Debian's ImageMagick 6 by its own name, whatever else is first on PATH.
convert=/usr/bin/convert-im6.q16
identify=/usr/bin/identify-im6.q16
[[ -x "$convert" ]] || convert=convert
[[ -x "$identify" ]] || identify=identify

[[ -f "$car" ]] || { echo "photos: no $car (set MODEL_SOURCE_DIR)" >&2; exit 2; }
mkdir -p "$out"
baseline=(-strip -colorspace sRGB -sampling-factor 4:2:0 -interlace none -quality 92)
if [[ ! -s "$out/photo-4032x3024.jpg" ]]; then
  "$convert" "$car" -resize '4032x3024^' -gravity center -extent 4032x3024 "${baseline[@]}" "$out/photo-4032x3024.jpg"
fi
if [[ ! -s "$out/photo-1920x1080.jpg" ]]; then
  "$convert" "$out/photo-4032x3024.jpg" -resize '1920x1080^' -gravity center -extent 1920x1080 "${baseline[@]}" "$out/photo-1920x1080.jpg"
fi

set_lines=(
  "car-13.5mp-progressive $car"
  "photo-12mp-baseline $out/photo-4032x3024.jpg"
  "photo-1080p-baseline $out/photo-1920x1080.jpg"
  "coffee-768x576 $here/images/coffee-768x576.jpg"
)
if [[ "${1:-}" == --check ]]; then
  for line in "${set_lines[@]}"; do
    path="${line#* }"
    echo "${line%% *}: $("$identify" -format '%wx%h %b' "$path"), $("$identify" -verbose "$path" |
      awk -F': ' '/^  Interlace:/ { i = $2 } /^  Quality:/ { q = $2 } /jpeg:sampling-factor:/ { s = $2 } END { printf "interlace %s, quality %s, sampling %s", i, q, s }')" >&2
  done
fi
printf '%s\n' "${set_lines[@]}"
