//! Request types of the draw (the contract of issue 12); responses live with their
//! handlers' modules.

use super::domain::SpecialtyRule;
use crate::enterprise::domain::{Sector, SpecialTopic, SubType};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Which enterprises may be drawn: all conditions hold (an empty list does not filter).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct DrawFilter {
    /// A region code (6 digits); a prefix of trailing zeros covers the region's subdivisions.
    #[schema(max_length = 6)]
    pub region: Option<String>,
    #[serde(default)]
    #[schema(max_items = 4)]
    pub sectors: Vec<Sector>,
    #[serde(default)]
    #[schema(max_items = 50)]
    pub sub_types: Vec<SubType>,
    #[serde(default)]
    #[schema(max_items = 50)]
    pub special_topics: Vec<SpecialTopic>,
}

/// How many to draw: a count, or a ratio of the stratum (`⌈ratio × size⌉`).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Sample {
    Count {
        #[schema(maximum = 1_000_000)]
        count: u32,
    },
    Ratio {
        /// 0 < ratio ≤ 1.
        #[schema(maximum = 1.0, minimum = 0.0)]
        ratio: f64,
    },
}

/// What the strata are made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StratumField {
    Sector,
    SupervisionClass,
}

/// Strata: the pool is split by the fields named (keys joined by `/`, e.g.
/// `hazardous_chemicals/B`); each key's sample is in `samples`, else the draw's `sample`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct Strata {
    #[schema(max_items = 2)]
    pub by: Vec<StratumField>,
    #[serde(default)]
    pub samples: BTreeMap<String, Sample>,
}

/// Weights (only when asked for): an integer weight 1…1000 per value of the field;
/// values not named get `default` (1 when absent).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct Weights {
    pub by: StratumField,
    pub values: BTreeMap<String, u32>,
    pub default: Option<u32>,
}

/// `POST /api/v1/draws`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct CommitDraw {
    #[schema(max_length = 200)]
    pub title: String,
    #[serde(default)]
    pub filter: DrawFilter,
    pub sample: Sample,
    /// Default 2; at least 2.
    #[serde(default = "two")]
    #[schema(minimum = 2, maximum = 10)]
    pub team_size: u32,
    pub strata: Option<Strata>,
    pub specialty_rule: Option<SpecialtyRule>,
    pub weights: Option<Weights>,
    /// The regulator's own secret (8–200 characters); absent: the server makes one and withholds it.
    #[schema(max_length = 200)]
    pub secret: Option<String>,
    /// The day the inspections are planned for; default today (Beijing).
    pub planned_date: Option<NaiveDate>,
    /// Cover the bureaus below (cross-region teams); default false: the bureau's own.
    #[serde(default)]
    pub include_subordinates: bool,
    /// The annual plan carried out.
    pub plan_id: Option<i64>,
    /// A redraw names the draw it supersedes, with the reason.
    pub supersedes_id: Option<i64>,
    #[schema(max_length = 5000)]
    pub redraw_reason: Option<String>,
}

const fn two() -> u32 {
    2
}

/// `POST /api/v1/draws/{id}/execute`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct ExecuteDraw {
    /// Required when the regulator holds the secret; must match the commitment.
    #[schema(max_length = 200)]
    pub secret: Option<String>,
    /// E.g. a lottery number published after the commitment.
    #[schema(max_length = 200)]
    pub public_entropy: Option<String>,
}
