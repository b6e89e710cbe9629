//! The cockpit's charts as server-drawn SVG (no script; the CSP allows no inline
//! styles, so every colour is a class and every size an attribute): a year's monthly
//! trend against the target, and the regions below as bars. Both print as drawn.

use crate::indicator::assess::Status;
use crate::indicator::view::{MonthFigure, RegionFigure};
use crate::inspection::record::sheets::esc;
use std::fmt::Write;

/// The CSS class of a status (colour; the text is always beside it).
pub const fn status_class(s: Status) -> &'static str {
    match s {
        Status::OnTrack => "st-ok",
        Status::AtRisk => "st-risk",
        Status::OffTrack => "st-off",
        Status::NoTarget | Status::NoData => "st-none",
    }
}

/// A number as shown: up to four decimals, no trailing zeros.
pub fn num(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-" { "0".to_owned() } else { s.to_owned() }
}

fn top(values: impl Iterator<Item = f64>) -> f64 {
    let m = values.fold(0.0_f64, f64::max);
    if m <= 0.0 { 1.0 } else { m * 1.15 }
}

/// The months January to December, the year's values joined, the target dashed.
pub fn trend(months: &[MonthFigure], target: Option<f64>, unit: &str, label: &str) -> String {
    const W: f64 = 640.0;
    const H: f64 = 200.0;
    const LEFT: f64 = 48.0;
    const BOTTOM: f64 = 24.0;
    let max = top(months.iter().filter_map(|m| m.value).chain(target));
    let x = |m: u32| LEFT + (f64::from(m) - 0.5) * (W - LEFT - 8.0) / 12.0;
    let y = |v: f64| 8.0 + (H - BOTTOM - 8.0) * (1.0 - v / max);
    let mut s =
        format!("<svg class=\"chart trend\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{}\">", esc(label));
    let _ = write!(s, "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{}\" x2=\"{W}\" y2=\"{}\"/>", H - BOTTOM, H - BOTTOM);
    let _ = write!(
        s,
        "<text class=\"tick\" x=\"{}\" y=\"14\" text-anchor=\"end\">{}{}</text>",
        LEFT - 6.0,
        num(max / 1.15),
        esc(unit)
    );
    let _ = write!(s, "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>", LEFT - 6.0, H - BOTTOM);
    for m in 1..=12 {
        let _ =
            write!(s, "<text class=\"tick\" x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{m}月</text>", x(m), H - 6.0);
    }
    if let Some(t) = target {
        let _ = write!(
            s,
            "<line class=\"target\" x1=\"{LEFT}\" y1=\"{0:.1}\" x2=\"{W}\" y2=\"{0:.1}\"/><text class=\"tick target-label\" x=\"{W}\" y=\"{1:.1}\" text-anchor=\"end\">目标 {2}{3}</text>",
            y(t),
            y(t) - 4.0,
            num(t),
            esc(unit)
        );
    }
    let points: Vec<String> =
        months.iter().filter_map(|m| m.value.map(|v| format!("{:.1},{:.1}", x(m.month), y(v)))).collect();
    if !points.is_empty() {
        let _ = write!(s, "<polyline class=\"line\" points=\"{}\"/>", points.join(" "));
    }
    for m in months {
        if let Some(v) = m.value {
            let _ = write!(
                s,
                "<circle class=\"dot\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\"><title>{}月：{}{}</title></circle>",
                x(m.month),
                y(v),
                m.month,
                num(v),
                esc(unit)
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// One bar per region, coloured by its status, with its value at the end.
pub fn bars(regions: &[RegionFigure], unit: &str, label: &str) -> String {
    const W: f64 = 640.0;
    const ROW: f64 = 26.0;
    const NAME: f64 = 130.0;
    let shown: Vec<&RegionFigure> = regions.iter().take(60).collect();
    let max = top(shown.iter().filter_map(|r| r.value).chain(shown.iter().filter_map(|r| r.target)));
    #[allow(clippy::cast_precision_loss)] // at most 60 rows
    let h = ROW * shown.len() as f64 + 6.0;
    let mut s =
        format!("<svg class=\"chart bars\" viewBox=\"0 0 {W} {h}\" role=\"img\" aria-label=\"{}\">", esc(label));
    let span = W - NAME - 90.0;
    for (i, r) in (0_u32..).zip(&shown) {
        let top_y = f64::from(i) * ROW + 4.0;
        let _ = write!(
            s,
            "<text class=\"tick\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            NAME - 6.0,
            top_y + 15.0,
            esc(&r.name)
        );
        let _ = write!(s, "<rect class=\"track\" x=\"{NAME}\" y=\"{top_y:.1}\" width=\"{span:.1}\" height=\"18\"/>");
        let text = r.value.map_or_else(|| "暂无数据".to_owned(), |v| format!("{}{}", num(v), unit));
        if let Some(v) = r.value {
            let w = (span * v / max).clamp(0.0, span);
            let _ = write!(
                s,
                "<rect class=\"bar {}\" x=\"{NAME}\" y=\"{top_y:.1}\" width=\"{w:.1}\" height=\"18\"><title>{}：{}（{}）</title></rect>",
                status_class(r.status),
                esc(&r.name),
                esc(&text),
                r.status.zh()
            );
        }
        if let Some(t) = r.target {
            let tx = NAME + (span * t / max).clamp(0.0, span);
            let _ = write!(
                s,
                "<line class=\"target\" x1=\"{tx:.1}\" y1=\"{:.1}\" x2=\"{tx:.1}\" y2=\"{:.1}\"/>",
                top_y - 2.0,
                top_y + 20.0
            );
        }
        let _ = write!(
            s,
            "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            NAME + span + 6.0,
            top_y + 15.0,
            esc(&text)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_escape_names_and_draw_only_known_values() {
        let months = vec![
            MonthFigure { month: 1, value: Some(10.0), numerator: 1, denominator: Some(10.0) },
            MonthFigure { month: 2, value: None, numerator: 0, denominator: Some(0.0) },
        ];
        let svg = trend(&months, Some(100.0), "%", "覆盖率<趋势>");
        assert!(svg.contains("覆盖率&lt;趋势&gt;") && svg.contains("目标 100%"), "{svg}");
        assert_eq!(svg.matches("<circle").count(), 1);
        let regions = vec![RegionFigure {
            region_code: "420103".into(),
            name: "江汉区".into(),
            value: None,
            numerator: 0,
            denominator: None,
            target: None,
            status: Status::NoData,
        }];
        let svg = bars(&regions, "%", "各地区");
        assert!(svg.contains("暂无数据") && !svg.contains("class=\"bar "), "{svg}");
        assert_eq!((num(66.7), num(0.0021), num(3.0)), ("66.7".to_owned(), "0.0021".to_owned(), "3".to_owned()));
    }
}
