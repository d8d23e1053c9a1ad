#!/usr/bin/env python3
"""Turns world-atlas's land-110m TopoJSON into the two outlines the maps draw when no tile
server answers: a GeoJSON for Leaflet and an equirectangular SVG for pages without JavaScript.

Usage: vendor_map.py <land-110m.json> <out.geojson> <out.svg>
Coordinates keep two decimals (about 1 km), plenty at 1:110 million.
"""
import json
import sys


def arcs_of(topology):
    scale = topology["transform"]["scale"]
    translate = topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((round(x * scale[0] + translate[0], 2), round(y * scale[1] + translate[1], 2)))
        decoded.append(points)
    return decoded


def ring(arcs, indices):
    points = []
    for i in indices:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc if not points else arc[1:])
    return points


def unwrap(points):
    """Keeps a ring that crosses the antimeridian continuous (longitudes past ±180) instead of
    jumping across the whole world, which maps would draw as a band; edges along a pole stay."""
    out = [points[0]]
    offset = 0
    for (px, py), (x, y) in zip(points, points[1:]):
        along_pole = abs(py) > 89 and abs(y) > 89
        if not along_pole:
            if x - px > 180:
                offset -= 360
            elif x - px < -180:
                offset += 360
        out.append((round(x + offset, 2), y))
    # Most of the ring inside the world: shift it by whole turns.
    turns = round(sum(x for x, _ in out) / len(out) / 360)
    return [(round(x - 360 * turns, 2), y) for x, y in out]


def main(source, geojson_path, svg_path):
    topology = json.load(open(source))
    arcs = arcs_of(topology)
    polygons = []
    for geometry in topology["objects"]["land"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons.append([unwrap(ring(arcs, r)) for r in geometry["arcs"]])
        elif geometry["type"] == "MultiPolygon":
            polygons.extend([unwrap(ring(arcs, r)) for r in polygon] for polygon in geometry["arcs"])
    feature = {
        "type": "Feature",
        "properties": {"source": "Natural Earth 1:110m land, by way of world-atlas 2.0.2"},
        "geometry": {"type": "MultiPolygon", "coordinates": polygons},
    }
    with open(geojson_path, "w") as out:
        json.dump(feature, out, separators=(",", ":"))
    # x = longitude, y = -latitude: the SVG's viewBox is (-180 -90 360 180).
    path = []
    for polygon in polygons:
        for r in polygon:
            path.append("M" + "L".join(f"{x:g} {-y:g}" for x, y in r) + "Z")
    with open(svg_path, "w") as out:
        out.write(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-180 -90 360 180" '
            'width="360" height="180" preserveAspectRatio="none">'
            '<path fill="#d9dde3" fill-rule="evenodd" d="'
            + "".join(path)
            + '"/></svg>\n'
        )


if __name__ == "__main__":
    main(*sys.argv[1:4])
