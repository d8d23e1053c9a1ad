#!/usr/bin/env bash
# Vendors from the npm registry what the product ships but does not build: the map's browser
# code and world outline (public/map/) and the font server-drawn PNG charts use (app/fonts/).
# Maintainers run it to change a version; its output is committed, so builds need no npm.
# Each tarball is checked against the integrity the registry published for that version.
set -euo pipefail
cd "$(dirname "$0")/.."
out=public/map
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() { # name version sha512-integrity
    local name=$1 version=$2 integrity=$3 file
    file=$(cd "$work" && npm pack --silent "$name@$version")
    local got
    got="sha512-$(openssl dgst -sha512 -binary "$work/$file" | base64 -w0)"
    if [ "$got" != "$integrity" ]; then
        echo "vendor-map: $name@$version has integrity $got, expected $integrity" >&2
        exit 1
    fi
    mkdir -p "$work/$name"
    tar xzf "$work/$file" -C "$work/$name"
}

fetch leaflet 1.9.4 sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==
fetch leaflet.markercluster 1.5.3 sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSEGfCSeA==
fetch world-atlas 2.0.2 sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==
fetch dejavu-fonts-ttf 2.37.3 sha512-f1hd7jJbeQa1VWcw+K2KrTXS50zTMaHpVC4XIKJpNcDeYR5ajMtj/iLlQDYNvLOKamUB3ARVVCf79lNwNVztSQ==

rm -rf "$out"
mkdir -p "$out/leaflet/images" "$out/markercluster"
cp "$work"/leaflet/package/dist/{leaflet.js,leaflet.css} "$out/leaflet/"
cp "$work"/leaflet/package/dist/images/*.png "$out/leaflet/images/"
cp "$work"/leaflet/package/LICENSE "$out/leaflet/LICENSE"
cp "$work"/leaflet.markercluster/package/dist/{leaflet.markercluster.js,MarkerCluster.css,MarkerCluster.Default.css} "$out/markercluster/"
cp "$work"/leaflet.markercluster/package/MIT-LICENCE.txt "$out/markercluster/LICENSE"
python3 scripts/vendor_map.py "$work/world-atlas/package/land-110m.json" "$out/land-110m.geojson" "$out/land-110m.svg"
cp "$work"/world-atlas/package/LICENSE "$out/land-110m.LICENSE"
cat > "$out/VERSIONS" <<END
leaflet 1.9.4 (BSD-2-Clause): leaflet/
leaflet.markercluster 1.5.3 (MIT): markercluster/
world-atlas 2.0.2 (ISC; Natural Earth, public domain): land-110m.geojson, land-110m.svg
Written by scripts/vendor.sh; do not edit by hand.
END
mkdir -p app/fonts
cp "$work"/dejavu-fonts-ttf/package/ttf/DejaVuSans.ttf app/fonts/
cp "$work"/dejavu-fonts-ttf/package/LICENSE app/fonts/DejaVuSans.LICENSE
echo "dejavu-fonts-ttf 2.37.3 (Bitstream Vera / DejaVu licence): DejaVuSans.ttf. Written by scripts/vendor.sh." >app/fonts/VERSIONS
ls -la "$out" "$out/leaflet" "$out/markercluster" app/fonts
