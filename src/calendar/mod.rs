//! Working-day calendar (节假日与调休) for deadlines given in working days
//! (整改期限): Monday–Friday work and weekends rest, except the dates the State
//! Council's yearly notice makes days off (休) or working days (班).
//!
//! The dates come from two places: the table shipped in the binary
//! (`data/holidays.tsv`, replaceable through `ANJIAN_DATA_DIR`; see [`shipped`])
//! and the `holidays` table, filled by importing `imports/holidays.xlsx`
//! (see [`import`]); for the same date the imported row wins. Past the last year
//! with data only weekends are off, and results say so ([`WorkingDeadline`]).
//!
//! Loading and caching: the shipped table is parsed once per process; [`load`]
//! then reads the `holidays` table on every call — one query over a table of a
//! few dozen rows a year — and lays it over a copy of the shipped calendar. There
//! is deliberately no cache of the imported rows: a fingerprint check (row count
//! and latest `imported_at`) would cost the same round trip, could not tell two
//! imports in the same clock tick apart, nor two databases in one process (the
//! tests), whereas reading the rows makes an import by the CLI visible to a
//! running `serve` at once. Callers computing many deadlines load once and
//! reuse the [`Calendar`].

pub mod domain;
pub mod handlers;
pub mod import;
pub mod shipped;
pub mod template;

pub use domain::{BEYOND_CALENDAR_WARNING, Calendar, DayKind, Exception, WorkingDeadline};
pub use handlers::routes;

use crate::entities::holiday;
use crate::error::AppResult;
use sea_orm::{ConnectionTrait, EntityTrait};

/// The shipped calendar with the imported dates laid over it.
pub async fn load<C: ConnectionTrait>(db: &C) -> AppResult<Calendar> {
    let rows = holiday::Entity::find().all(db).await?;
    let imported = rows.into_iter().filter_map(|r| {
        let kind = DayKind::parse(&r.kind);
        if kind.is_none() {
            tracing::warn!(day = %r.day, kind = r.kind, "holidays: unknown kind, row ignored");
        }
        Some((r.day, Exception { kind: kind?, name: r.name }))
    });
    Ok(shipped::table().merged(imported))
}
