//! Storage over time as SVG drawn on the server (no chart library in the browser): a line
//! of what people store and one of what is on disk, and a bar per day of uploads. Colours
//! come from the stylesheet, so both themes read well.

use leptos::prelude::*;

use crate::{
    drive::format::{count_of, human_size},
    dto::StorageDay,
};

const W: f64 = 640.0;
const H: f64 = 180.0;
const LEFT: f64 = 8.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 24.0;

#[component]
pub fn StorageCharts(days: Vec<StorageDay>) -> impl IntoView {
    let first = days.first().map(|d| d.day.clone()).unwrap_or_default();
    let last = days.last().map(|d| d.day.clone()).unwrap_or_default();
    let top_bytes = days
        .iter()
        .map(|d| d.logical_bytes.max(d.stored_bytes))
        .max()
        .unwrap_or(0)
        .max(1);
    let top_uploads = days.iter().map(|d| d.uploads).max().unwrap_or(0).max(1);
    let n = days.len();
    let logical = line(days.iter().map(|d| d.logical_bytes), n, top_bytes);
    let stored = line(days.iter().map(|d| d.stored_bytes), n, top_bytes);
    let dots = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            view! {
                <circle class="series-logical" cx=x(i, n) cy=y(d.logical_bytes, top_bytes) r="3">
                    <title>{format!("{}: {} stored by people, {} on disk", d.day, human_size(d.logical_bytes), human_size(d.stored_bytes))}</title>
                </circle>
            }
        })
        .collect_view();
    let slot = (W - LEFT) / n.max(1) as f64;
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let height = (H - TOP - BOTTOM) * d.uploads as f64 / top_uploads as f64;
            view! {
                <rect class="series-uploads" x=LEFT + slot * i as f64 + slot * 0.15 y=H - BOTTOM - height
                    width=slot * 0.7 height=height>
                    <title>{format!("{}: {}, {}", d.day, count_of(d.uploads, "upload"), human_size(d.uploaded_bytes))}</title>
                </rect>
            }
        })
        .collect_view();
    let axis = move |top: String| {
        view! {
            <line class="axis" x1=LEFT y1=H - BOTTOM x2=W y2=H - BOTTOM/>
            <text class="axis-label" x=LEFT y=TOP - 2.0>{top}</text>
            <text class="axis-label" x=LEFT y=H - 6.0>{first.clone()}</text>
            <text class="axis-label end" x=W y=H - 6.0 text-anchor="end">{last.clone()}</text>
        }
    };
    view! {
        <section class="card admin-charts" aria-labelledby="charts-title">
            <h2 id="charts-title">"Storage, last 30 days"</h2>
            <p class="legend">
                <span class="key key-logical"></span>"Stored by people "
                <span class="key key-stored"></span>"On disk"
            </p>
            <svg id="chart-storage" class="chart" viewBox=format!("0 0 {W} {H}") role="img"
                aria-label="Storage per day">
                {axis(human_size(top_bytes))}
                <polyline class="series-logical" points=logical fill="none"/>
                <polyline class="series-stored" points=stored fill="none"/>
                {dots}
            </svg>
            <h2>"Uploads per day"</h2>
            <svg id="chart-uploads" class="chart" viewBox=format!("0 0 {W} {H}") role="img"
                aria-label="Uploads per day">
                {axis(count_of(top_uploads, "upload"))}
                {bars}
            </svg>
        </section>
    }
}

fn x(i: usize, n: usize) -> f64 {
    if n <= 1 {
        return (LEFT + W) / 2.0;
    }
    LEFT + 4.0 + (W - LEFT - 8.0) * i as f64 / (n - 1) as f64
}

fn y(value: i64, top: i64) -> f64 {
    H - BOTTOM - (H - TOP - BOTTOM) * value as f64 / top as f64
}

fn line(values: impl Iterator<Item = i64>, n: usize, top: i64) -> String {
    values
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", x(i, n), y(v, top)))
        .collect::<Vec<_>>()
        .join(" ")
}
