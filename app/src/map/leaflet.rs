//! The interactive map: Leaflet (vendored under `/map/leaflet/`, loaded by the page shell) in
//! the box the server drew. The server's SVG stays underneath until Leaflet has drawn.

use super::OUTLINE_GEOJSON;
use leaflet::{
    CircleMarker, CircleOptions, GeoJson, LatLng, LatLngBounds, Map, MapOptions, PathOptions,
    TileLayer, TileLayerOptions,
};
use model::map::{MapMarker, MapTiles};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    // `leaflet` 0.5 declares `L.geoJSON` but does not export it.
    #[wasm_bindgen(js_namespace = L, js_name = geoJSON)]
    fn geo_json(data: &JsValue, options: &JsValue) -> GeoJson;

    /// leaflet.markercluster's group (vendored under `/map/markercluster/`).
    type ClusterGroup;
    #[wasm_bindgen(js_namespace = L, js_name = markerClusterGroup)]
    fn marker_cluster_group(options: &JsValue) -> ClusterGroup;
    #[wasm_bindgen(method, js_name = addLayers)]
    fn add_layers(this: &ClusterGroup, layers: &js_sys::Array);
    #[wasm_bindgen(method, js_name = addTo)]
    fn add_to(this: &ClusterGroup, map: &Map);
}

/// From this many markers on, nearby ones are drawn as one cluster with their count.
const CLUSTER_FROM: usize = 50;

/// The closest a map zooms on its own: a neighbourhood around a single device.
const CLOSEST_ZOOM: f64 = 13.0;
/// The closest it zooms over the world outline alone (no tiles): a region.
const OUTLINE_ZOOM: f64 = 5.0;

pub fn mount(element: &web_sys::HtmlDivElement, markers: &[MapMarker], tiles: &MapTiles) {
    if !js_sys::Reflect::has(&js_sys::global(), &JsValue::from_str("L")).unwrap_or(false) {
        leptos::logging::error!("Leaflet did not load; the map stays as the server drew it");
        return;
    }
    if element.class_list().contains("leaflet-container") {
        return;
    }
    let options = MapOptions::new();
    options.set_scroll_wheel_zoom(false);
    let map = match Map::new_with_element(element, &options) {
        Ok(map) => map,
        Err(e) => {
            leptos::logging::error!("the map could not start: {e:?}");
            return;
        }
    };
    let placed: Vec<&MapMarker> = markers
        .iter()
        .filter(|m| m.lat.is_finite() && m.lon.is_finite())
        .collect();
    frame(&map, &placed);

    // The outline: at once without tiles, else when tiles fail before any loads.
    let outlined = Rc::new(Cell::new(false));
    let outline = {
        let (map, outlined) = (map.clone(), outlined.clone());
        move || {
            if outlined.replace(true) {
                return;
            }
            let map = map.clone();
            leptos::task::spawn_local(async move {
                match fetch_outline().await {
                    Ok(shape) => {
                        let style = PathOptions::new();
                        style.set_class_name("map-outline".into());
                        style.set_weight(1.0);
                        style.set_color("#aab1bb".into());
                        style.set_fill_color("#d9dde3".into());
                        style.set_fill_opacity(1.0);
                        let options = js_sys::Object::new();
                        let _ = js_sys::Reflect::set(&options, &"style".into(), &style);
                        let _ =
                            js_sys::Reflect::set(&options, &"interactive".into(), &false.into());
                        // The tile pane lies under the markers' pane, whenever this arrives.
                        let _ = js_sys::Reflect::set(&options, &"pane".into(), &"tilePane".into());
                        geo_json(&shape, &options).add_to(&map);
                        // At 1:110 million a town is a dot: step back to where coasts show.
                        if map.get_zoom() > OUTLINE_ZOOM {
                            map.set_zoom(OUTLINE_ZOOM);
                        }
                    }
                    Err(e) => leptos::logging::error!("the world outline did not load: {e}"),
                }
            });
        }
    };
    if tiles.url.is_empty() {
        outline();
    } else {
        let options = TileLayerOptions::new();
        options.set_attribution(tiles.attribution.clone());
        let layer = TileLayer::new_options(&tiles.url, &options);
        // A tile server that works but drops a tile now and then keeps its tiles.
        let loaded = Rc::new(Cell::new(false));
        let on_load = {
            let loaded = loaded.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |_| loaded.set(true))
        };
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            if !loaded.get() {
                outline();
            }
        });
        layer.on("tileload", on_load.as_ref());
        layer.on("tileerror", on_error.as_ref());
        // The map lives as long as the page; so do its handlers.
        on_load.forget();
        on_error.forget();
        layer.add_to(&map);
    }

    add_markers(&map, &placed, element);
    // Leaflet measured the box before it was laid out (a page drawn in the browser attaches
    // it after this runs): measure again at the next frame, keeping the centre.
    let corners: Vec<MapMarker> = placed.iter().map(|m| (*m).clone()).collect();
    leptos::prelude::request_animation_frame(move || {
        map.invalidate_size(false);
        frame(&map, &corners.iter().collect::<Vec<_>>());
    });
}

/// Puts the markers on the map, clustered when there are many (markercluster adds them in
/// chunks, so the page stays responsive). Popups are built when opened, not before.
/// Once every marker is on the map, the box says how many and when (`data-map-ready`,
/// `data-map-ms`: milliseconds since the page began loading), for tests and benchmarks.
fn add_markers(map: &Map, placed: &[&MapMarker], element: &web_sys::HtmlDivElement) {
    let ready = {
        let element = element.clone();
        let count = placed.len();
        move || {
            let ms = leptos::prelude::window()
                .performance()
                .map(|p| p.now())
                .unwrap_or_default();
            element
                .set_attribute("data-map-ready", &count.to_string())
                .ok();
            element
                .set_attribute("data-map-ms", &format!("{ms:.0}"))
                .ok();
        }
    };
    let shown: Rc<Vec<MapMarker>> = Rc::new(placed.iter().map(|m| (*m).clone()).collect());
    let content = {
        let shown = shown.clone();
        Closure::<dyn Fn(JsValue) -> JsValue>::new(move |layer: JsValue| {
            let index = js_sys::Reflect::get(&layer, &"options".into())
                .and_then(|o| js_sys::Reflect::get(&o, &"device".into()))
                .ok()
                .and_then(|i| i.as_f64())
                .map(|i| i as usize);
            match index.and_then(|i| shown.get(i)) {
                Some(m) => popup(m).into(),
                None => JsValue::from_str(""),
            }
        })
    };
    let layers = js_sys::Array::new();
    for (i, m) in shown.iter().enumerate() {
        let style = CircleOptions::new();
        style.set_radius(7.0);
        style.set_weight(2.0);
        style.set_fill_opacity(0.85);
        style.set_class_name(match m.online {
            Some(true) => "marker online".into(),
            Some(false) => "marker offline".into(),
            None => "marker".into(),
        });
        let _ = js_sys::Reflect::set(&style, &"device".into(), &(i as u32).into());
        let marker = CircleMarker::new_with_options(&LatLng::new(m.lat, m.lon), &style);
        marker.bind_popup_with_options(content.as_ref(), &JsValue::UNDEFINED);
        layers.push(&marker);
    }
    // The popups live as long as the map, which lives as long as the page.
    content.forget();
    let clustering = js_sys::Reflect::get(&js_sys::global(), &"L".into())
        .and_then(|l| js_sys::Reflect::has(&l, &"markerClusterGroup".into()))
        .unwrap_or(false);
    if clustering && shown.len() >= CLUSTER_FROM {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"chunkedLoading".into(), &true.into());
        let progress = Closure::<dyn FnMut(f64, f64)>::new(move |done: f64, total: f64| {
            if done >= total {
                // After the frame that draws them.
                leptos::prelude::request_animation_frame(ready.clone());
            }
        });
        let _ = js_sys::Reflect::set(&options, &"chunkProgress".into(), progress.as_ref());
        progress.forget();
        let _ = js_sys::Reflect::set(&options, &"showCoverageOnHover".into(), &false.into());
        let group = marker_cluster_group(&options);
        group.add_to(map);
        group.add_layers(&layers);
    } else {
        if !clustering && shown.len() >= CLUSTER_FROM {
            leptos::logging::warn!(
                "markercluster did not load: {} markers drawn one by one",
                shown.len()
            );
        }
        for marker in layers.iter() {
            marker.unchecked_into::<CircleMarker>().add_to(map);
        }
        leptos::prelude::request_animation_frame(ready);
    }
}

/// Shows every marker: the world without any, a neighbourhood around one, the box of many.
fn frame(map: &Map, placed: &[&MapMarker]) {
    match placed {
        [] => {
            map.set_view(&LatLng::new(20.0, 0.0), 1.0);
        }
        [one] => {
            map.set_view(&LatLng::new(one.lat, one.lon), CLOSEST_ZOOM);
        }
        many => {
            let corners = js_sys::Array::new();
            for m in many {
                corners.push(&LatLng::new(m.lat, m.lon));
            }
            let padding = js_sys::Object::new();
            let _ = js_sys::Reflect::set(
                &padding,
                &"padding".into(),
                &js_sys::Array::of2(&24.into(), &24.into()),
            );
            let _ = js_sys::Reflect::set(&padding, &"maxZoom".into(), &CLOSEST_ZOOM.into());
            map.fit_bounds_with_options(&LatLngBounds::new_from_list(&corners), &padding);
        }
    }
}

/// A device's popup, built as elements so no name or value is ever read as HTML.
fn popup(m: &MapMarker) -> web_sys::Element {
    let document = leptos::prelude::document();
    let root = document.create_element("div").expect("div");
    root.set_class_name("map-popup");
    let link = document.create_element("a").expect("a");
    link.set_attribute("href", &m.href).ok();
    link.set_text_content(Some(&m.name));
    root.append_child(&link).ok();
    for line in &m.lines {
        let p = document.create_element("p").expect("p");
        p.set_text_content(Some(line));
        root.append_child(&p).ok();
    }
    root
}

async fn fetch_outline() -> Result<JsValue, String> {
    let answer = gloo_net::http::Request::get(OUTLINE_GEOJSON)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !answer.ok() {
        return Err(format!("HTTP {}", answer.status()));
    }
    let text = answer.text().await.map_err(|e| e.to_string())?;
    js_sys::JSON::parse(&text).map_err(|e| format!("{e:?}"))
}
