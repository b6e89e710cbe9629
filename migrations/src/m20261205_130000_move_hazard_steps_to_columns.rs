//! 交办 (assignment), 治理方案 (plan) and 双报告 (major-hazard report) of a
//! hazard move from JSON text into columns of `hazards`, so that the ledger can
//! be queried by supervision level, assigning bureau, responsible unit or funds.
//!
//! Existing rows are carried over inside the migration: each JSON document is
//! read with the engine's own JSON functions (SQLite `json_extract`, PostgreSQL
//! `jsonb ->>`), so a malformed document fails the migration instead of being
//! dropped. The assigning body becomes a bureau id where a bureau has exactly
//! that name (the text is kept too: 安委办 and the like are not bureaus). The
//! dates of the assignment and of the report are the times of their timeline
//! steps. The JSON columns are dropped afterwards; `down` rebuilds them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Hazards {
    Table,
}

/// What a new column holds; every one is nullable.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Date,
    Time,
    Fen,
}

/// The new columns, except `assigning_bureau_id` (a foreign key, added by hand).
const COLUMNS: &[(&str, Kind)] = &[
    ("assignment_level", Kind::Text),
    ("assigning_body", Kind::Text),
    ("assigned_unit", Kind::Text),
    ("assigned_person", Kind::Text),
    ("assignment_notice_no", Kind::Text),
    ("assigned_at", Kind::Time),
    ("assignment_deadline", Kind::Date),
    ("plan_measures", Kind::Text),
    ("plan_person", Kind::Text),
    ("plan_funds_fen", Kind::Fen),
    ("plan_deadline", Kind::Date),
    ("plan_emergency", Kind::Text),
    ("report_current_state", Kind::Text),
    ("report_harm", Kind::Text),
    ("report_remediation", Kind::Text),
    ("report_congress_on", Kind::Date),
    ("reported_at", Kind::Time),
];

fn column(name: &str, kind: Kind) -> ColumnDef {
    let mut c = ColumnDef::new(Alias::new(name));
    match kind {
        Kind::Text => c.text(),
        Kind::Date => c.date(),
        Kind::Time => c.timestamp_with_time_zone(),
        Kind::Fen => c.big_integer(),
    };
    c.null();
    c
}

/// Text columns filled from a JSON document: `(column, document, key)`.
const TEXT_FIELDS: &[(&str, &str, &str)] = &[
    ("assignment_level", "assignment", "supervision_level"),
    ("assigning_body", "assignment", "assigning_body"),
    ("assigned_unit", "assignment", "responsible_unit"),
    ("assigned_person", "assignment", "responsible_person"),
    ("assignment_notice_no", "assignment", "notice_no"),
    ("plan_measures", "plan", "measures"),
    ("plan_person", "plan", "responsible_person"),
    ("plan_emergency", "plan", "emergency_plan"),
    ("report_current_state", "report", "current_state_and_causes"),
    ("report_harm", "report", "harm_and_difficulty"),
    ("report_remediation", "report", "remediation_plan"),
];

/// Date columns filled from a JSON document (`YYYY-MM-DD` text in it).
const DATE_FIELDS: &[(&str, &str, &str)] = &[
    ("assignment_deadline", "assignment", "deadline"),
    ("plan_deadline", "plan", "deadline"),
    ("report_congress_on", "report", "congress_reported_on"),
];

/// The text value of `key` in the JSON text column `doc`.
fn text_of(backend: DbBackend, doc: &str, key: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("(({doc})::jsonb ->> '{key}')"),
        _ => format!("json_extract({doc}, '$.{key}')"),
    }
}

fn date_of(backend: DbBackend, doc: &str, key: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("{}::date", text_of(backend, doc, key)),
        // SQLite keeps dates as `YYYY-MM-DD` text, which is what the JSON holds.
        _ => text_of(backend, doc, key),
    }
}

fn fen_of(backend: DbBackend, doc: &str, key: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("ROUND({}::numeric * 100)::bigint", text_of(backend, doc, key)),
        _ => format!("CAST(ROUND({} * 100) AS INTEGER)", text_of(backend, doc, key)),
    }
}

/// The time of the latest timeline step `action` of the hazard.
fn step_time(action: &str) -> String {
    format!("(SELECT MAX(e.at) FROM hazard_events e WHERE e.hazard_id = hazards.id AND e.action = '{action}')")
}

async fn exec(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    manager.get_connection().execute_unprepared(sql).await.map(|_| ())
}

/// Copies every JSON document into the new columns.
async fn carry_over(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let b = manager.get_database_backend();
    for doc in ["assignment", "plan", "report"] {
        let mut sets: Vec<String> = TEXT_FIELDS
            .iter()
            .filter(|f| f.1 == doc)
            .map(|(col, d, key)| format!("{col} = {}", text_of(b, d, key)))
            .collect();
        sets.extend(
            DATE_FIELDS.iter().filter(|f| f.1 == doc).map(|(col, d, key)| format!("{col} = {}", date_of(b, d, key))),
        );
        match doc {
            "assignment" => sets.push(format!("assigned_at = {}", step_time("assign"))),
            "plan" => sets.push(format!("plan_funds_fen = {}", fen_of(b, "plan", "funds"))),
            _ => sets.push(format!("reported_at = {}", step_time("major_report"))),
        }
        exec(manager, &format!("UPDATE hazards SET {} WHERE {doc} IS NOT NULL", sets.join(", "))).await?;
    }
    exec(
        manager,
        "UPDATE hazards SET assigning_bureau_id = (SELECT MIN(b.id) FROM bureaus b WHERE b.name = hazards.assigning_body) \
         WHERE assigning_body IS NOT NULL",
    )
    .await
}

/// Rebuilds the JSON documents from the columns (for `down`).
async fn rebuild_json(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let pg = manager.get_database_backend() == DbBackend::Postgres;
    let object = if pg { "json_build_object" } else { "json_object" };
    let funds = "plan_funds_fen / 100.0";
    let cast = if pg { "::text" } else { "" };
    let docs = [
        (
            "assignment",
            "assigning_body",
            "'assigning_body', assigning_body, 'responsible_unit', assigned_unit, 'responsible_person', \
             assigned_person, 'supervision_level', assignment_level, 'notice_no', assignment_notice_no, \
             'deadline', assignment_deadline"
                .to_owned(),
        ),
        (
            "plan",
            "plan_measures",
            format!(
                "'measures', plan_measures, 'responsible_person', plan_person, 'funds', {funds}, \
                 'deadline', plan_deadline, 'emergency_plan', plan_emergency"
            ),
        ),
        (
            "report",
            "report_current_state",
            "'current_state_and_causes', report_current_state, 'harm_and_difficulty', report_harm, \
             'remediation_plan', report_remediation, 'congress_reported_on', report_congress_on, \
             'reported_at', reported_at"
                .to_owned(),
        ),
    ];
    for (doc, present, fields) in docs {
        exec(manager, &format!("UPDATE hazards SET {doc} = {object}({fields}){cast} WHERE {present} IS NOT NULL"))
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, kind) in COLUMNS {
            manager
                .alter_table(Table::alter().table(Hazards::Table).add_column(column(name, *kind)).to_owned())
                .await?;
        }
        // Declared by hand: SQLite takes a REFERENCES clause in ADD COLUMN, not a separate constraint.
        exec(manager, "ALTER TABLE hazards ADD COLUMN assigning_bureau_id BIGINT NULL REFERENCES bureaus (id)").await?;
        carry_over(manager).await?;
        for doc in ["assignment", "plan", "report"] {
            exec(manager, &format!("ALTER TABLE hazards DROP COLUMN {doc}")).await?;
        }
        // The major-hazard list filters by supervision level and assigning bureau.
        exec(manager, "CREATE INDEX idx_hazards_assignment_level ON hazards (assignment_level, deadline)").await?;
        exec(manager, "CREATE INDEX idx_hazards_assigning_bureau ON hazards (assigning_bureau_id)").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        exec(manager, "DROP INDEX idx_hazards_assignment_level").await?;
        exec(manager, "DROP INDEX idx_hazards_assigning_bureau").await?;
        for doc in ["assignment", "plan", "report"] {
            exec(manager, &format!("ALTER TABLE hazards ADD COLUMN {doc} TEXT")).await?;
        }
        rebuild_json(manager).await?;
        for (name, _) in COLUMNS {
            exec(manager, &format!("ALTER TABLE hazards DROP COLUMN {name}")).await?;
        }
        // SQLite cannot drop a column that is a foreign key; the column, all null, then stays unused.
        if manager.get_database_backend() == DbBackend::Postgres {
            exec(manager, "ALTER TABLE hazards DROP COLUMN assigning_bureau_id").await?;
        } else {
            exec(manager, "UPDATE hazards SET assigning_bureau_id = NULL").await?;
        }
        Ok(())
    }
}
