//! The yearly inspection cap per enterprise (国办发〔2024〕54号), by supervision class.
//! Classes, caps and exempt kinds are data: `data/inspection-caps.toml` (see there).

use crate::entities::{enterprise, inspection};
use crate::error::AppResult;
use crate::inspection::domain::{Kind, Status};
use chrono::{Datelike, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// A supervision class and its cap.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Class {
    pub code: String,
    pub name: String,
    pub yearly_cap: u32,
    /// The class's weight in a draw that asks for weights by class.
    #[serde(default = "one")]
    pub draw_weight: u32,
    /// Codes of an earlier version of the file that mean this class.
    #[serde(default)]
    pub aliases: Vec<String>,
}

fn one() -> u32 {
    1
}

/// The configuration: classes, the default class, the exempt kinds.
#[derive(Debug, Clone, Deserialize)]
pub struct Caps {
    pub default_class: String,
    pub exempt_kinds: Vec<Kind>,
    pub classes: Vec<Class>,
}

pub const SHIPPED: &str = include_str!("../../../data/inspection-caps.toml");

static CAPS: LazyLock<Caps> = LazyLock::new(|| {
    let text = crate::rules_data::text("inspection-caps.toml", SHIPPED).unwrap_or_else(|e| {
        tracing::error!(error = %e, "inspection-caps.toml cannot be read");
        std::borrow::Cow::Borrowed("")
    });
    toml::from_str(&text).unwrap_or_else(|e| {
        tracing::error!(error = %e, "inspection-caps.toml does not load; no inspection counts against a cap");
        Caps { default_class: String::new(), exempt_kinds: Kind::ALL.to_vec(), classes: Vec::new() }
    })
});

pub fn caps() -> &'static Caps {
    &CAPS
}

impl Caps {
    /// Whether an inspection of `kind` counts against the cap.
    pub fn counts(&self, kind: Kind) -> bool {
        !self.exempt_kinds.contains(&kind)
    }

    /// The enterprise's class (its own, else the default; an unknown stored class is the default too).
    pub fn class_of(&self, e: &enterprise::Model) -> Option<&Class> {
        self.class_by_code(e.supervision_class.as_deref())
    }

    /// The class of a stored class code (else the default), as [`Caps::class_of`].
    pub fn class_by_code(&self, code: Option<&str>) -> Option<&Class> {
        code.and_then(|c| self.named(c)).or_else(|| self.named(&self.default_class))
    }

    /// The class a code or an alias of it names.
    pub fn named(&self, code: &str) -> Option<&Class> {
        self.classes.iter().find(|k| k.code == code || k.aliases.iter().any(|a| a == code))
    }
}

/// The statuses that count against the cap (approved and after, not cancelled or rejected).
pub const COUNTED: [Status; 3] = [Status::Approved, Status::InProgress, Status::Completed];

/// The enterprise's standing in a year.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CapStanding {
    pub year: i32,
    /// Inspections of the year that count (approved, in progress or completed).
    pub count: u64,
    /// The yearly cap of its class (`None`: no class configured, no cap).
    pub cap: Option<u32>,
    pub class_code: Option<String>,
    pub class_name: Option<String>,
}

impl CapStanding {
    /// Whether one more counted inspection would exceed the cap.
    pub fn full(&self) -> bool {
        self.cap.is_some_and(|c| self.count >= u64::from(c))
    }
}

/// The counted inspections of enterprise `e` planned in `year`, except `except`.
pub async fn standing<C: ConnectionTrait>(
    db: &C,
    e: &enterprise::Model,
    year: i32,
    except: Option<i64>,
) -> AppResult<CapStanding> {
    let (from, to) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31));
    let mut q = inspection::Entity::find()
        .filter(inspection::Column::EnterpriseId.eq(e.id))
        .filter(inspection::Column::CountsAgainstCap.eq(true))
        .filter(inspection::Column::Status.is_in(COUNTED))
        .filter(inspection::Column::PlannedDate.between(from, to));
    if let Some(id) = except {
        q = q.filter(inspection::Column::Id.ne(id));
    }
    let count = q.count(db).await?;
    let class = caps().class_of(e);
    Ok(CapStanding {
        year,
        count,
        cap: class.map(|c| c.yearly_cap),
        class_code: class.map(|c| c.code.clone()),
        class_name: class.map(|c| c.name.clone()),
    })
}

/// The year an inspection counts in.
pub fn year_of(i: &inspection::Model) -> i32 {
    i.planned_date.year()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_load() {
        let c: Caps = toml::from_str(SHIPPED).unwrap_or_else(|e| panic!("{e}"));
        assert!(c.classes.iter().any(|k| k.code == c.default_class), "the default class is one of the classes");
        for k in [Kind::Complaint, Kind::ReInspection, Kind::Accident] {
            assert!(!c.counts(k), "{k:?} is exempt");
        }
        assert!(c.counts(Kind::DoubleRandom) && c.counts(Kind::Planned));
    }
}
