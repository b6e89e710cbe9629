//! LIKE patterns, the one way the service matches text by pattern: `%`, `_`
//! and the escape character are escaped and every pattern carries an explicit
//! `ESCAPE '!'`, so a search for `%` finds only names containing `%`, alike on
//! SQLite (no escape character by default) and PostgreSQL (`\` by default).

use sea_orm::ColumnTrait;
use sea_orm::sea_query::{Expr, LikeExpr};

/// Not special in SQL string literals of either engine, nor in the stored
/// paths and keys matched by prefix.
const ESCAPE: char = '!';

/// `text` with `%`, `_` and the escape character escaped, to match literally.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        if matches!(c, '%' | '_' | ESCAPE) {
            out.push(ESCAPE);
        }
        out.push(c);
    }
    out
}

/// `column LIKE '%text%' ESCAPE '!'`: the column contains `text` as typed.
pub fn contains(column: impl ColumnTrait, text: &str) -> Expr {
    column.like(LikeExpr::new(format!("%{}%", escape(text))).escape(ESCAPE))
}

/// `column LIKE 'text%' ESCAPE '!'`: the column starts with `text` as given.
pub fn starts_with(column: impl ColumnTrait, text: &str) -> Expr {
    column.like(LikeExpr::new(format!("{}%", escape(text))).escape(ESCAPE))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::enterprise;
    use sea_orm::{DbBackend, EntityTrait, QueryFilter, QueryTrait};

    #[test]
    fn wildcards_and_the_escape_character_are_escaped() {
        assert_eq!(escape("100%_a!b\\c"), "100!%!_a!!b\\c");
        assert_eq!(escape("甲化工"), "甲化工");
    }

    #[test]
    fn both_engines_get_an_explicit_escape_clause() {
        for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
            let sql =
                enterprise::Entity::find().filter(contains(enterprise::Column::Name, "5%")).build(backend).to_string();
            assert!(sql.ends_with(r"LIKE '%5!%%' ESCAPE '!'"), "{backend:?}: {sql}");
        }
    }
}
