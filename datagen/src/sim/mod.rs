//! The simulated fleet. Every value is a pure function of (seed, device, metric, instant) and of
//! the anomalies injected so far: no state advances with time, so the same question always gets
//! the same numbers and a test can assert them.
//!
//! Times are Unix seconds (UTC). A device reports every [`Kind::interval`] seconds; a value is
//! read at a reporting instant, and there is none while the device is in an outage.

use serde::Serialize;
use std::f64::consts::TAU;

/// Devices were installed at 2024-01-01T00:00:00Z: nothing is reported before.
pub const INSTALLED: i64 = 1_704_067_200;
const YEAR: f64 = 365.2425 * 86_400.0;
/// The warmest day of a northern year falls around 20 July (2024-07-20T00:00Z).
const WARMEST: f64 = 1_721_433_600.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Kind {
    WeatherStation,
    GpsTracker,
    EnergyMeter,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::WeatherStation, Kind::GpsTracker, Kind::EnergyMeter];

    /// The prefix of this kind's device ids, e.g. `wx-00007`.
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::WeatherStation => "wx",
            Kind::GpsTracker => "gps",
            Kind::EnergyMeter => "kwh",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::WeatherStation => "weather station",
            Kind::GpsTracker => "tracker",
            Kind::EnergyMeter => "energy meter",
        }
    }

    /// Seconds between two readings.
    pub fn interval(self) -> i64 {
        match self {
            Kind::WeatherStation => 60,
            Kind::GpsTracker => 30,
            Kind::EnergyMeter => 60,
        }
    }

    pub fn metrics(self) -> &'static [Metric] {
        use Metric::*;
        match self {
            Kind::WeatherStation => &[Temperature, Humidity, Pressure, WindSpeed, Battery, Signal],
            Kind::GpsTracker => &[Latitude, Longitude, Speed, Heading, Battery, Signal],
            Kind::EnergyMeter => &[Energy, Power, Battery, Signal],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Metric {
    Temperature,
    Humidity,
    Pressure,
    WindSpeed,
    Latitude,
    Longitude,
    Speed,
    Heading,
    Energy,
    Power,
    Battery,
    Signal,
}

impl Metric {
    pub const ALL: [Metric; 12] = [
        Metric::Temperature,
        Metric::Humidity,
        Metric::Pressure,
        Metric::WindSpeed,
        Metric::Latitude,
        Metric::Longitude,
        Metric::Speed,
        Metric::Heading,
        Metric::Energy,
        Metric::Power,
        Metric::Battery,
        Metric::Signal,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Metric::Temperature => "temperature",
            Metric::Humidity => "humidity",
            Metric::Pressure => "pressure",
            Metric::WindSpeed => "wind_speed",
            Metric::Latitude => "latitude",
            Metric::Longitude => "longitude",
            Metric::Speed => "speed",
            Metric::Heading => "heading",
            Metric::Energy => "energy",
            Metric::Power => "power",
            Metric::Battery => "battery",
            Metric::Signal => "signal",
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Metric::Temperature => "°C",
            Metric::Humidity | Metric::Battery => "%",
            Metric::Pressure => "hPa",
            Metric::WindSpeed => "m/s",
            Metric::Latitude | Metric::Longitude | Metric::Heading => "°",
            Metric::Speed => "km/h",
            Metric::Energy => "kWh",
            Metric::Power => "kW",
            Metric::Signal => "dBm",
        }
    }

    pub fn parse(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }

    /// Decimals a real sensor of this metric reports.
    fn decimals(self) -> i32 {
        match self {
            Metric::Latitude | Metric::Longitude => 6,
            Metric::Energy | Metric::Power => 3,
            Metric::Battery | Metric::Heading | Metric::Signal => 0,
            _ => 1,
        }
    }

    fn salt(self) -> u64 {
        self as u64 + 101
    }
}

/// An anomaly injected on one device (all its metrics, or one) between two instants.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Anomaly {
    pub device: u32,
    pub metric: Option<Metric>,
    pub kind: AnomalyKind,
    pub from: i64,
    /// Open-ended when `None`.
    pub until: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum AnomalyKind {
    /// Values far outside their normal range.
    Spike,
    /// The value stays at what it was when the anomaly began.
    FlatLine,
    /// The device reports nothing.
    Outage,
}

impl Anomaly {
    fn covers(&self, device: u32, metric: Option<Metric>, t: i64) -> bool {
        self.device == device
            && (self.metric.is_none() || metric.is_none() || self.metric == metric)
            && t >= self.from
            && self.until.is_none_or(|until| t < until)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Device {
    pub index: u32,
    pub id: String,
    pub name: String,
    pub kind: Kind,
    pub city: &'static str,
    pub latitude: f64,
    pub longitude: f64,
    pub firmware: String,
    /// Tracker route (closed loop of waypoints) and its length in km.
    #[serde(skip)]
    route: Vec<(f64, f64)>,
    #[serde(skip)]
    route_km: f64,
}

const CITIES: [(&str, f64, f64); 16] = [
    ("Lyon", 45.76, 4.84),
    ("Hamburg", 53.55, 9.99),
    ("Oslo", 59.91, 10.75),
    ("Madrid", 40.42, -3.70),
    ("Nairobi", -1.29, 36.82),
    ("Cape Town", -33.92, 18.42),
    ("Bangalore", 12.97, 77.59),
    ("Singapore", 1.35, 103.82),
    ("Sydney", -33.87, 151.21),
    ("Tokyo", 35.68, 139.69),
    ("Toronto", 43.65, -79.38),
    ("Denver", 39.74, -104.99),
    ("São Paulo", -23.55, -46.63),
    ("Mexico City", 19.43, -99.13),
    ("Reykjavik", 64.15, -21.94),
    ("Dubai", 25.20, 55.27),
];

/// A fleet of `size` devices, the same for the same seed.
pub struct Fleet {
    seed: u64,
    devices: Vec<Device>,
}

impl Fleet {
    pub fn new(seed: u64, size: u32) -> Fleet {
        let devices = (0..size).map(|index| make_device(seed, index)).collect();
        Fleet { seed, devices }
    }

    pub fn devices(&self) -> &[Device] {
        &self.devices
    }

    /// The device with this id, e.g. `wx-00003`.
    pub fn find(&self, id: &str) -> Option<&Device> {
        let (prefix, number) = id.split_once('-')?;
        if number.len() < 5 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let index: u32 = number.parse().ok()?;
        let device = self.devices.get(index as usize)?;
        (device.kind.prefix() == prefix && device.id == id).then_some(device)
    }

    /// The reading of `metric` that `device` reported at or before `t`, with its instant;
    /// `None` when the device never reported it (before installation, or not its metric).
    pub fn latest(
        &self,
        device: &Device,
        metric: Metric,
        t: i64,
        anomalies: &[Anomaly],
    ) -> Option<(i64, f64)> {
        if !device.kind.metrics().contains(&metric) {
            return None;
        }
        let interval = device.kind.interval();
        let mut at = t.div_euclid(interval) * interval;
        // Step back over outages (each step jumps to before the outage that covers `at`).
        for _ in 0..64 {
            if at < INSTALLED {
                return None;
            }
            match self.outage_start(device, metric, at, anomalies) {
                None => return Some((at, self.value(device, metric, at, anomalies))),
                Some(start) => at = (start - 1).div_euclid(interval) * interval,
            }
        }
        None
    }

    /// The value of `metric` at reporting instant `t`, or `None` while the device is in an outage.
    pub fn reading(
        &self,
        device: &Device,
        metric: Metric,
        t: i64,
        anomalies: &[Anomaly],
    ) -> Option<f64> {
        if t < INSTALLED || !device.kind.metrics().contains(&metric) {
            return None;
        }
        let at = t.div_euclid(device.kind.interval()) * device.kind.interval();
        if self.outage_start(device, metric, at, anomalies).is_some() {
            return None;
        }
        Some(self.value(device, metric, at, anomalies))
    }

    /// Whether the device reports at `t` (not in an outage).
    pub fn online(&self, device: &Device, t: i64, anomalies: &[Anomaly]) -> bool {
        self.outage_start(device, None, t, anomalies).is_none()
    }

    /// The start of the outage covering `t`, if any: a natural one (about one day in ten a
    /// device drops out for one to six hours) or an injected one.
    fn outage_start(
        &self,
        device: &Device,
        metric: impl Into<Option<Metric>>,
        t: i64,
        anomalies: &[Anomaly],
    ) -> Option<i64> {
        let metric = metric.into();
        let injected = anomalies
            .iter()
            .filter(|a| a.kind == AnomalyKind::Outage && a.covers(device.index, metric, t))
            .map(|a| a.from)
            .min();
        if injected.is_some() {
            return injected;
        }
        let day = t.div_euclid(86_400);
        (day - 1..=day).find_map(|d| {
            let h = hash(&[self.seed, device.index as u64, d as u64, 7]);
            if unit(h) >= 0.1 {
                return None;
            }
            let start = d * 86_400 + (unit(mix(h ^ 1)) * 86_400.0) as i64;
            let length = 3_600 + (unit(mix(h ^ 2)) * 5.0 * 3_600.0) as i64;
            (t >= start && t < start + length).then_some(start)
        })
    }

    /// The value at reporting instant `t`, anomalies (other than outages) applied.
    fn value(&self, device: &Device, metric: Metric, t: i64, anomalies: &[Anomaly]) -> f64 {
        let mut effective_t = t;
        let mut spike = false;
        for a in anomalies
            .iter()
            .filter(|a| a.covers(device.index, Some(metric), t))
        {
            match a.kind {
                AnomalyKind::FlatLine => effective_t = effective_t.min(a.from),
                AnomalyKind::Spike => spike = true,
                AnomalyKind::Outage => {}
            }
        }
        let mut v = self.physics(device, metric, effective_t);
        if spike {
            v = match metric {
                Metric::Temperature => v + 35.0,
                Metric::Humidity => 100.0,
                Metric::Pressure => v - 60.0,
                Metric::WindSpeed => v * 4.0 + 25.0,
                Metric::Speed => 190.0,
                Metric::Power => v * 6.0 + 20.0,
                Metric::Battery => 0.0,
                Metric::Signal => -125.0,
                // A cumulative counter, a position or a direction has no meaningful spike.
                Metric::Energy | Metric::Latitude | Metric::Longitude | Metric::Heading => v,
            };
        }
        round(v, metric.decimals())
    }

    fn physics(&self, device: &Device, metric: Metric, t: i64) -> f64 {
        let key = [self.seed, device.index as u64, metric.salt()];
        let tf = t as f64;
        let lat = device.latitude;
        // Local solar hour (0..24): UTC shifted by the longitude.
        let solar_hour = (tf / 3_600.0 + device.longitude / 15.0).rem_euclid(24.0);
        let weather = [self.seed, device.index as u64, 1];
        match metric {
            Metric::Temperature => {
                let alat = lat.abs();
                let mean = 28.0 - 0.45 * (alat - 10.0).max(0.0);
                let season =
                    (TAU * (tf - WARMEST) / YEAR).cos() * if lat >= 0.0 { 1.0 } else { -1.0 };
                let elevation = 1.5 * signed(hash(&[self.seed, device.index as u64, 2]));
                mean + 0.22 * alat * season
                    + diurnal(&weather, tf, solar_hour)
                    + elevation
                    + 3.0 * noise(&weather, tf, 2.0 * 86_400.0)
                    + 1.2 * noise(&key, tf, 6.0 * 3_600.0)
                    + 0.2 * noise(&key, tf, 900.0)
            }
            Metric::Humidity => {
                let clouds = cloudiness(&weather, tf);
                (55.0 + 30.0 * clouds - 2.2 * diurnal(&weather, tf, solar_hour)
                    + 5.0 * noise(&key, tf, 3.0 * 3_600.0)
                    + 0.5 * noise(&key, tf, 600.0))
                .clamp(8.0, 100.0)
            }
            Metric::Pressure => {
                1013.0 + 10.0 * noise(&weather, tf, 3.0 * 86_400.0) - 6.0 * cloudiness(&weather, tf)
                    + 4.0 * noise(&key, tf, 12.0 * 3_600.0)
                    + 0.3 * noise(&key, tf, 1_800.0)
            }
            Metric::WindSpeed => (3.5
                + 3.0 * noise(&key, tf, 8.0 * 3_600.0)
                + 1.2 * noise(&key, tf, 1_800.0)
                + 3.0 * cloudiness(&weather, tf))
            .max(0.0),
            Metric::Latitude | Metric::Longitude | Metric::Heading => {
                let (lat, lon, heading) = device.position(tracker_km(self.seed, device, tf));
                match metric {
                    Metric::Latitude => lat,
                    Metric::Longitude => lon,
                    _ => heading,
                }
            }
            Metric::Speed => tracker_speed(self.seed, device, tf),
            Metric::Power => meter_power(self.seed, device, tf),
            Metric::Energy => meter_energy(self.seed, device, tf),
            Metric::Battery => match device.kind {
                // Solar-charged: fills by day, drains by night.
                Kind::WeatherStation => (78.0
                    + 14.0 * (TAU * (solar_hour - 9.0) / 24.0).sin()
                    + 4.0 * noise(&key, tf, 86_400.0))
                .clamp(5.0, 100.0),
                // Recharged every three to seven days.
                Kind::GpsTracker => {
                    let cycle =
                        (3.0 + 4.0 * unit(hash(&[self.seed, device.index as u64, 3]))) * 86_400.0;
                    let phase = unit(hash(&[self.seed, device.index as u64, 4]));
                    100.0 - 95.0 * ((tf - INSTALLED as f64) / cycle + phase).fract()
                }
                // Backup cell of a mains-powered meter: one percent a month.
                Kind::EnergyMeter => (100.0 - (tf - INSTALLED as f64) / (30.0 * 86_400.0)).max(5.0),
            },
            Metric::Signal => {
                let base = -62.0 - 25.0 * unit(hash(&[self.seed, device.index as u64, 5]));
                let moving = if device.kind == Kind::GpsTracker {
                    12.0
                } else {
                    3.0
                };
                (base + 6.0 * noise(&key, tf, 3_600.0) + moving * noise(&key, tf, 300.0))
                    .clamp(-120.0, -40.0)
            }
        }
    }
}

impl Device {
    /// Latitude, longitude and heading (degrees from north) after `km` along the route.
    fn position(&self, km: f64) -> (f64, f64, f64) {
        if self.route.len() < 2 || self.route_km <= 0.0 {
            return (self.latitude, self.longitude, 0.0);
        }
        let mut left = km.rem_euclid(self.route_km);
        for i in 0..self.route.len() {
            let a = self.route[i];
            let b = self.route[(i + 1) % self.route.len()];
            let length = distance_km(a, b);
            if left <= length || i == self.route.len() - 1 {
                let f = if length > 0.0 {
                    (left / length).min(1.0)
                } else {
                    0.0
                };
                let lat = a.0 + (b.0 - a.0) * f;
                let lon = a.1 + (b.1 - a.1) * f;
                return (lat, lon, bearing(a, b));
            }
            left -= length;
        }
        unreachable!("the loop returns on its last segment")
    }
}

fn make_device(seed: u64, index: u32) -> Device {
    let kind = Kind::ALL[(hash(&[seed, index as u64, 10]) % 3) as usize];
    let (city, lat0, lon0) =
        CITIES[(hash(&[seed, index as u64, 11]) % CITIES.len() as u64) as usize];
    let latitude = round(lat0 + 0.25 * signed(hash(&[seed, index as u64, 12])), 5);
    let longitude = round(lon0 + 0.35 * signed(hash(&[seed, index as u64, 13])), 5);
    let (route, route_km) = if kind == Kind::GpsTracker {
        let radius = 2.0 + 6.0 * unit(hash(&[seed, index as u64, 14]));
        let points: Vec<(f64, f64)> = (0..10)
            .map(|k| {
                let h = hash(&[seed, index as u64, 15, k]);
                let angle = TAU * (k as f64 + 0.4 * signed(h)) / 10.0;
                let r = radius * (0.6 + 0.8 * unit(mix(h)));
                let dlat = r * angle.cos() / 111.32;
                let dlon = r * angle.sin() / (111.32 * latitude.to_radians().cos());
                (latitude + dlat, longitude + dlon)
            })
            .collect();
        let km = (0..points.len())
            .map(|i| distance_km(points[i], points[(i + 1) % points.len()]))
            .sum();
        (points, km)
    } else {
        (Vec::new(), 0.0)
    };
    let firmware = format!(
        "{}.{}.{}",
        1 + hash(&[seed, index as u64, 16]) % 3,
        hash(&[seed, index as u64, 17]) % 10,
        hash(&[seed, index as u64, 18]) % 20
    );
    Device {
        index,
        id: format!("{}-{:05}", kind.prefix(), index),
        name: format!("{city} {} {}", kind.label(), index + 1),
        kind,
        city,
        latitude,
        longitude,
        firmware,
        route,
        route_km,
    }
}

/// Daily swing of temperature (°C above the day's mean), warmest at 15:00 solar time and
/// flattened under clouds.
fn diurnal(weather: &[u64; 3], t: f64, solar_hour: f64) -> f64 {
    let amplitude = 6.0 * (1.0 - 0.6 * cloudiness(weather, t));
    amplitude * (TAU * (solar_hour - 15.0) / 24.0).cos()
}

/// 0 (clear) to 1 (overcast), changing over half a day; shared by a station's metrics.
fn cloudiness(weather: &[u64; 3], t: f64) -> f64 {
    (noise(&[weather[0], weather[1], 9], t, 12.0 * 3_600.0) + 1.0) / 2.0
}

// Trackers drive 24/7 at speeds between 15 and 75 km/h: the distance is an average speed plus
// three slow waves, so that speed (its derivative) and distance agree exactly.
const TRACKER_WAVES: [(f64, f64); 3] = [(0.5, 14.0), (0.13, 9.0), (2.1, 7.0)]; // (period h, km/h)

fn tracker_km(seed: u64, device: &Device, t: f64) -> f64 {
    let hours = (t - INSTALLED as f64) / 3_600.0;
    let mut km = 45.0 * hours;
    for (k, (period, amplitude)) in TRACKER_WAVES.iter().enumerate() {
        let omega = TAU / period;
        let phase = TAU * unit(hash(&[seed, device.index as u64, 20, k as u64]));
        km += amplitude / omega * ((omega * hours + phase).sin() - phase.sin());
    }
    km
}

fn tracker_speed(seed: u64, device: &Device, t: f64) -> f64 {
    let hours = (t - INSTALLED as f64) / 3_600.0;
    let mut speed = 45.0;
    for (k, (period, amplitude)) in TRACKER_WAVES.iter().enumerate() {
        let omega = TAU / period;
        let phase = TAU * unit(hash(&[seed, device.index as u64, 20, k as u64]));
        speed += amplitude * (omega * hours + phase).cos();
    }
    speed
}

// Meters: a base load times a daily curve (evening peak at 19:00, morning bump at 8:00) plus
// slow waves; energy is the exact integral of power since installation.
fn meter_terms(seed: u64, device: &Device) -> (f64, [(f64, f64, f64); 4]) {
    let base = 0.8 + 5.2 * unit(hash(&[seed, device.index as u64, 30]));
    let shift = device.longitude / 15.0;
    let day = TAU / 24.0;
    let mut terms = [
        (0.45, day, day * (shift - 19.0)),
        (0.25, 2.0 * day, 2.0 * day * (shift - 8.0)),
        (0.0, 0.0, 0.0),
        (0.0, 0.0, 0.0),
    ];
    for (k, term) in terms.iter_mut().skip(2).enumerate() {
        let period = [3.3, 0.7][k];
        *term = (
            0.1,
            TAU / period,
            TAU * unit(hash(&[seed, device.index as u64, 31, k as u64])),
        );
    }
    (base, terms)
}

fn meter_power(seed: u64, device: &Device, t: f64) -> f64 {
    let (base, terms) = meter_terms(seed, device);
    let hours = t / 3_600.0;
    base * (1.0
        + terms
            .iter()
            .map(|(a, w, p)| a * (w * hours + p).cos())
            .sum::<f64>())
}

fn meter_energy(seed: u64, device: &Device, t: f64) -> f64 {
    let (base, terms) = meter_terms(seed, device);
    let (h0, h) = (INSTALLED as f64 / 3_600.0, t / 3_600.0);
    let waves: f64 = terms
        .iter()
        .map(|(a, w, p)| a / w * ((w * h + p).sin() - (w * h0 + p).sin()))
        .sum();
    let start = 500.0 + 4_500.0 * unit(hash(&[seed, device.index as u64, 32]));
    start + base * ((h - h0) + waves)
}

fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let dlat = (b.0 - a.0) * 111.32;
    let dlon = (b.1 - a.1) * 111.32 * ((a.0 + b.0) / 2.0).to_radians().cos();
    (dlat * dlat + dlon * dlon).sqrt()
}

fn bearing(a: (f64, f64), b: (f64, f64)) -> f64 {
    let dlat = b.0 - a.0;
    let dlon = (b.1 - a.1) * ((a.0 + b.0) / 2.0).to_radians().cos();
    dlon.atan2(dlat).to_degrees().rem_euclid(360.0)
}

/// Smooth noise in [-1, 1]: values at knots `period` seconds apart, eased in between.
fn noise(key: &[u64; 3], t: f64, period: f64) -> f64 {
    let x = t / period;
    let i = x.floor();
    let f = x - i;
    let knot = |n: f64| signed(hash(&[key[0], key[1], key[2], n as i64 as u64]));
    let (a, b) = (knot(i), knot(i + 1.0));
    a + (b - a) * f * f * (3.0 - 2.0 * f)
}

fn round(v: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (v * scale).round() / scale
}

/// SplitMix64's finaliser: a well-spread 64-bit hash step.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn hash(parts: &[u64]) -> u64 {
    parts.iter().fold(0x5EED_1234_ABCD_0001, |h, p| mix(h ^ p))
}

/// Uniform in [0, 1).
fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// Uniform in [-1, 1).
fn signed(h: u64) -> f64 {
    unit(h) * 2.0 - 1.0
}

#[cfg(test)]
mod tests;
