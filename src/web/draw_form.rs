//! The commit form of a draw as typed (`/draws/new`), and turning it into the API's
//! request (`draw::json::CommitDraw`) with the problems the form itself finds.
//!
//! Decisions: the sample is a count (家数) or a ratio typed as a percentage (5 means
//! 5 %, sent as 0.05), since regulators speak of 抽查比例 in percent; a stratum's own
//! sample is one field read as a count (`10`) or, with a `%`, a ratio (`5%`), empty
//! meaning the draw's sample. Strata and weights offer the four sectors and the
//! supervision classes of `data/inspection-caps.toml` under their Chinese names; the
//! keys never show. With 系统生成并保管 a secret typed before switching is not sent.

use crate::draw::domain::SpecialtyRule;
use crate::draw::json::{CommitDraw, DrawFilter, Sample, Strata, StratumField, Weights};
use crate::enterprise::domain::{Sector, SpecialTopic, SubType};
use crate::error::FieldErrors;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The form as typed (kept when it comes back).
#[derive(Debug, Default, Clone)]
pub struct Typed {
    pub title: String,
    pub region: String,
    pub sectors: Vec<String>,
    pub sub_types: Vec<String>,
    pub special_topics: Vec<String>,
    pub sample_mode: String,
    pub sample_value: String,
    pub strata_by: String,
    pub strata: BTreeMap<String, String>,
    pub team_size: String,
    pub specialty_rule: String,
    pub weights_by: String,
    pub weights: BTreeMap<String, String>,
    pub weight_default: String,
    pub planned_date: String,
    pub include_subordinates: bool,
    /// The annual plan carried out (an id, or empty).
    pub plan_id: String,
    pub secret_mode: String,
    pub secret: String,
    pub supersedes_id: String,
    pub redraw_reason: String,
    pub csrf_token: String,
}

/// How many keyed values (strata, weights) a form may carry.
const MAX_KEYS: usize = 64;

impl Typed {
    pub fn blank() -> Self {
        Self {
            sample_mode: "count".to_owned(),
            team_size: "2".to_owned(),
            specialty_rule: SpecialtyRule::None.as_str().to_owned(),
            secret_mode: "server".to_owned(),
            ..Self::default()
        }
    }

    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut t = Self::default();
        for (k, v) in pairs {
            let list = |l: &mut Vec<String>, v: String| {
                if l.len() < crate::limits::LIST * 3 && !l.contains(&v) {
                    l.push(v);
                }
            };
            match k.as_str() {
                "title" => t.title = v,
                "region" => t.region = v,
                "sectors" => list(&mut t.sectors, v),
                "sub_types" => list(&mut t.sub_types, v),
                "special_topics" => list(&mut t.special_topics, v),
                "sample_mode" => t.sample_mode = v,
                "sample_value" => t.sample_value = v,
                "strata_by" => t.strata_by = v,
                "team_size" => t.team_size = v,
                "specialty_rule" => t.specialty_rule = v,
                "weights_by" => t.weights_by = v,
                "weight_default" => t.weight_default = v,
                "planned_date" => t.planned_date = v,
                "include_subordinates" => t.include_subordinates = true,
                "plan_id" => t.plan_id = v,
                "secret_mode" => t.secret_mode = v,
                "secret" => t.secret = v,
                "supersedes_id" => t.supersedes_id = v,
                "redraw_reason" => t.redraw_reason = v,
                "csrf_token" => t.csrf_token = v,
                _ => t.keyed(&k, &v),
            }
        }
        t
    }

    fn keyed(&mut self, k: &str, v: &str) {
        let (map, key) = match (k.strip_prefix("stratum."), k.strip_prefix("weight.")) {
            (Some(key), _) => (&mut self.strata, key),
            (_, Some(key)) => (&mut self.weights, key),
            _ => return,
        };
        if map.len() < MAX_KEYS && key.len() <= 64 && !v.trim().is_empty() {
            map.insert(key.to_owned(), v.trim().to_owned());
        }
    }

    pub fn has(&self, list: &str, code: &str) -> bool {
        let l = match list {
            "sectors" => &self.sectors,
            "sub_types" => &self.sub_types,
            _ => &self.special_topics,
        };
        l.iter().any(|c| c == code)
    }

    pub fn stratum(&self, key: &str) -> &str {
        self.strata.get(key).map_or("", String::as_str)
    }

    pub fn weight(&self, key: &str) -> &str {
        self.weights.get(key).map_or("", String::as_str)
    }
}

/// The stratum fields a choice of 分层方式 names.
pub fn strata_fields(by: &str) -> Option<Vec<StratumField>> {
    match by {
        "sector" => Some(vec![StratumField::Sector]),
        "supervision_class" => Some(vec![StratumField::SupervisionClass]),
        "both" => Some(vec![StratumField::Sector, StratumField::SupervisionClass]),
        _ => None,
    }
}

/// The stratum keys of a choice, with their Chinese names, in display order.
pub fn keys(by: &str) -> Vec<(String, String)> {
    let classes = &crate::inspection::governance::cap::caps().classes;
    let sectors = Sector::ALL.iter().map(|s| (s.as_str().to_owned(), s.zh().to_owned()));
    let class_keys = classes.iter().map(|c| (c.code.clone(), c.name.clone()));
    match by {
        "sector" => sectors.collect(),
        "supervision_class" => class_keys.collect(),
        "both" => sectors
            .flat_map(|(s, sz)| classes.iter().map(move |c| (format!("{s}/{}", c.code), format!("{sz} · {}", c.name))))
            .collect(),
        _ => Vec::new(),
    }
}

struct Problems<'a>(&'a mut FieldErrors);

impl Problems<'_> {
    fn add(&mut self, field: &str, message: &str) {
        self.0.entry(field.to_owned()).or_default().push(message.to_owned());
    }
}

/// A stratum's sample as typed: `10` or `5%`.
fn keyed_sample(v: &str) -> Option<Sample> {
    match v.strip_suffix(['%', '％']) {
        Some(p) => percent(p).map(|ratio| Sample::Ratio { ratio }),
        None => v.parse::<u32>().ok().map(|count| Sample::Count { count }),
    }
}

fn percent(v: &str) -> Option<f64> {
    v.trim().parse::<f64>().ok().filter(|p| p.is_finite() && *p > 0.0 && *p <= 100.0).map(|p| p / 100.0)
}

fn sample(t: &Typed, p: &mut Problems) -> Sample {
    let v = t.sample_value.trim();
    if t.sample_mode == "ratio" {
        percent(v).map_or_else(
            || {
                p.add("sample", "请填写抽取比例：大于 0、不超过 100 的百分数，如 5 表示 5%");
                Sample::Ratio { ratio: 1.0 }
            },
            |ratio| Sample::Ratio { ratio },
        )
    } else {
        v.parse::<u32>().ok().filter(|n| *n > 0).map_or_else(
            || {
                p.add("sample", "请填写抽取家数（正整数）");
                Sample::Count { count: 1 }
            },
            |count| Sample::Count { count },
        )
    }
}

fn strata(t: &Typed, p: &mut Problems) -> Option<Strata> {
    let by = strata_fields(&t.strata_by)?;
    let mut samples = BTreeMap::new();
    for (key, label) in keys(&t.strata_by) {
        let v = t.stratum(&key);
        if v.is_empty() {
            continue;
        }
        match keyed_sample(v) {
            Some(s) => {
                samples.insert(key, s);
            }
            None => p.add("strata", &format!("{label}：请填写家数（如 10）或比例（如 5%）")),
        }
    }
    Some(Strata { by, samples })
}

fn weights(t: &Typed, p: &mut Problems) -> Option<Weights> {
    let by = match t.weights_by.as_str() {
        "sector" => StratumField::Sector,
        "supervision_class" => StratumField::SupervisionClass,
        _ => return None,
    };
    let weight = |v: &str| v.parse::<u32>().ok().filter(|w| (1..=1000).contains(w));
    let mut values = BTreeMap::new();
    for (key, label) in keys(&t.weights_by) {
        let v = t.weight(&key);
        if v.is_empty() {
            continue;
        }
        match weight(v) {
            Some(w) => {
                values.insert(key, w);
            }
            None => p.add("weights", &format!("{label}：权重须是 1 至 1000 的整数")),
        }
    }
    let default = match t.weight_default.trim() {
        "" => None,
        v => weight(v).or_else(|| {
            p.add("weights", "其他企业的权重须是 1 至 1000 的整数");
            None
        }),
    };
    Some(Weights { by, values, default })
}

fn codes<T: std::str::FromStr>(typed: &[String], field: &str, p: &mut Problems) -> Vec<T> {
    let parsed: Vec<T> = typed.iter().filter_map(|c| c.parse().ok()).collect();
    if parsed.len() != typed.len() {
        p.add(field, "选项无效，请重新选择");
    }
    parsed
}

fn secret(t: &Typed, p: &mut Problems) -> Option<String> {
    if t.secret_mode != "regulator" {
        return None;
    }
    let s = t.secret.trim();
    if s.chars().count() < 8 {
        p.add("secret", "自行设定密钥时，请填写至少 8 个字符，或点击“生成随机密钥”");
    }
    Some(s.to_owned())
}

/// The request the form makes, and the problems the form itself finds.
pub fn request(t: &Typed, today: NaiveDate, pre: &mut FieldErrors) -> CommitDraw {
    let mut p = Problems(pre);
    let filter = DrawFilter {
        region: Some(t.region.trim().to_owned()).filter(|r| !r.is_empty()),
        sectors: codes::<Sector>(&t.sectors, "filter.sectors", &mut p),
        sub_types: codes::<SubType>(&t.sub_types, "filter.sub_types", &mut p),
        special_topics: codes::<SpecialTopic>(&t.special_topics, "filter.special_topics", &mut p),
    };
    let team_size = t.team_size.trim().parse::<u32>().unwrap_or_else(|_| {
        p.add("team_size", "请填写每组人数（2 至 10 的整数）");
        2
    });
    let planned_date = match t.planned_date.trim() {
        "" => None,
        v => NaiveDate::parse_from_str(v, "%Y-%m-%d").map_or_else(
            |_| {
                p.add("planned_date", "请按 YYYY-MM-DD 填写计划检查日期，如 2026-12-20");
                Some(today)
            },
            Some,
        ),
    };
    let supersedes_id = t.supersedes_id.trim().parse::<i64>().ok();
    if supersedes_id.is_some() && t.redraw_reason.trim().is_empty() {
        p.add("redraw_reason", "重新抽取须填写理由");
    }
    CommitDraw {
        title: t.title.trim().to_owned(),
        filter,
        sample: sample(t, &mut p),
        team_size,
        strata: strata(t, &mut p),
        specialty_rule: t.specialty_rule.parse::<SpecialtyRule>().ok(),
        weights: weights(t, &mut p),
        secret: secret(t, &mut p),
        planned_date,
        include_subordinates: t.include_subordinates,
        plan_id: t.plan_id.trim().parse::<i64>().ok(),
        supersedes_id,
        redraw_reason: supersedes_id.map(|_| t.redraw_reason.trim().to_owned()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn typed(pairs: &[(&str, &str)]) -> Typed {
        Typed::from_pairs(pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect())
    }

    #[test]
    fn a_ratio_is_typed_in_percent_and_a_stratum_takes_a_count_or_a_percentage() {
        let t = typed(&[
            ("title", "甲"),
            ("sample_mode", "ratio"),
            ("sample_value", "5"),
            ("team_size", "2"),
            ("strata_by", "sector"),
            ("stratum.fireworks", "3"),
            ("stratum.non_coal_mine", "10%"),
            ("stratum.industry_trade", "x"),
        ]);
        let mut pre = FieldErrors::new();
        let r = request(&t, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), &mut pre);
        assert_eq!(r.sample, Sample::Ratio { ratio: 0.05 });
        let s = r.strata.unwrap();
        assert_eq!(s.samples["fireworks"], Sample::Count { count: 3 });
        assert_eq!(s.samples["non_coal_mine"], Sample::Ratio { ratio: 0.1 });
        assert!(pre["strata"][0].contains("工贸"), "{pre:?}");
    }

    #[test]
    fn a_redraw_needs_a_reason_and_a_self_held_secret_eight_characters() {
        let t = typed(&[("title", "甲"), ("sample_value", "3"), ("team_size", "2"), ("supersedes_id", "7")]);
        let t = Typed { secret_mode: "regulator".to_owned(), secret: "short".to_owned(), ..t };
        let mut pre = FieldErrors::new();
        let r = request(&t, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), &mut pre);
        assert_eq!(r.supersedes_id, Some(7));
        assert!(pre.contains_key("redraw_reason") && pre.contains_key("secret"), "{pre:?}");
    }
}
