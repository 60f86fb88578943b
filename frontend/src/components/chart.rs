//! Server-rendered SVG bar charts with their figures in a table beside them: the chart for the
//! eye, the table for screen readers, copying and small screens.

use leptos::prelude::*;

/// One bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: i64,
    /// The value as people read it (e.g. `1,234.50`).
    pub shown: String,
}

const WIDTH: i64 = 600;
const LABEL_W: i64 = 190;
const ROW_H: i64 = 28;

/// A horizontal bar chart (`role="img"`, titled) and a table of the same figures.
#[component]
pub fn BarChart(id: &'static str, title: String, value_heading: String, bars: Vec<Bar>) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let height = (bars.len() as i64).max(1) * ROW_H + 8;
    let title_id = format!("{id}-title");
    let bar_w = WIDTH - LABEL_W - 110;
    view! {
        <figure class="chart" aria-labelledby=title_id.clone()>
            <figcaption id=title_id.clone()>{title.clone()}</figcaption>
            <div class="chart__body">
                <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-labelledby=title_id.clone() preserveAspectRatio="xMinYMin meet" class="chart__svg">
                    {bars.iter().enumerate().map(|(i, b)| {
                        let y = i as i64 * ROW_H + 4;
                        let w = (b.value.max(0) * bar_w / max).max(if b.value > 0 { 2 } else { 0 });
                        view! {
                            <g>
                                <text x=LABEL_W - 8 y=y + 18 text-anchor="end" class="chart__label">{b.label.clone()}</text>
                                <rect x=LABEL_W y=y + 4 width=w height=ROW_H - 10 rx="2" class="chart__bar"></rect>
                                <text x=LABEL_W + w + 6 y=y + 18 class="chart__value">{b.shown.clone()}</text>
                            </g>
                        }
                    }).collect_view()}
                </svg>
                <table class="table chart__table">
                    <thead><tr><th scope="col">{title}</th><th scope="col">{value_heading}</th></tr></thead>
                    <tbody>
                        {bars.into_iter().map(|b| view! { <tr><td>{b.label}</td><td class="num">{b.shown}</td></tr> }).collect_view()}
                    </tbody>
                </table>
            </div>
        </figure>
    }
}
