//! A map of devices. The server draws it as SVG over the bundled world outline, so a page read
//! without JavaScript shows every device where it is; in the browser Leaflet takes over the same
//! box: tiles from the deployment's tile server, the outline under the markers while no tile
//! loads, and a popup per device.

#[cfg(feature = "hydrate")]
mod leaflet;

use leptos::prelude::*;
use model::map::{MapMarker, MapTiles, ViewBox};

/// The world outline both drawings use (vendored by `scripts/vendor-map.sh`).
pub const OUTLINE_SVG: &str = "/map/land-110m.svg";
pub const OUTLINE_GEOJSON: &str = "/map/land-110m.geojson";

#[component]
pub fn DeviceMap(
    /// The devices to show; those without a place are left out by the caller.
    markers: Vec<MapMarker>,
    tiles: MapTiles,
    /// What the map shows, for screen readers.
    #[prop(into)]
    label: String,
    /// A dashboard map over more devices than the page holds: (workspace, dashboard, widget),
    /// whose every marker the browser loads before drawing.
    #[prop(optional_no_strip)]
    fleet: Option<(String, String, String)>,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    {
        let (markers, tiles) = (markers.clone(), tiles.clone());
        Effect::new(move |_| {
            let Some(element) = node.get() else { return };
            match fleet.clone() {
                None => leaflet::mount(&element, &markers, &tiles),
                Some((slug, id, widget)) => {
                    let (markers, tiles) = (markers.clone(), tiles.clone());
                    leptos::task::spawn_local(async move {
                        let all = match crate::dashboards::api::fleet_map(slug, id, widget).await {
                            Ok((all, _)) => all,
                            Err(e) => {
                                leptos::logging::warn!("the fleet's map did not load ({e}); the page's devices are drawn");
                                markers
                            }
                        };
                        leaflet::mount(&element, &all, &tiles);
                    });
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (&tiles, &fleet);
    let view_box = ViewBox::around(&markers);
    let r = view_box.marker_radius();
    let dots = markers
        .iter()
        .map(|m| {
            let class = match m.online {
                Some(true) => "marker online",
                Some(false) => "marker offline",
                None => "marker",
            };
            view! {
                <circle class=class data-device=m.id.clone() cx=format!("{:.4}", m.lon)
                    cy=format!("{:.4}", -m.lat) r=format!("{r:.4}")>
                    <title>{m.name.clone()}</title>
                </circle>
            }
        })
        .collect_view();
    view! {
        <div class="device-map" node_ref=node role="region" aria-label=label
            data-markers=markers.len()>
            <svg class="map-fallback" viewBox=view_box.attribute()
                preserveAspectRatio="xMidYMid slice" aria-hidden="true">
                <image href=OUTLINE_SVG x="-180" y="-90" width="360" height="180"
                    preserveAspectRatio="none" />
                {dots}
            </svg>
        </div>
    }
}
