//! Bulk inserts for the writes that create thousands of rows in one request (a draw's
//! dispatch and its audit entries). The statement text is written once per chunk and
//! the values are bound as given, without building a query tree per value: for rows
//! this wide that is most of what `insert_many` spends. The caller names the columns
//! and gives, row after row, one value per column in that order (a column left out is
//! NULL or its default by the schema).

use sea_orm::{ConnectionTrait, DbBackend, DbErr, QueryResult, Statement, Value};
use std::fmt::Write;

/// Most values bound per statement: under SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_VALUES: usize = 30_000;

/// Inserts `values` (`columns.len()` per row) into `table` in chunks; answers the
/// `returning` columns of every row (none when `returning` is empty).
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    table: &str,
    columns: &[&str],
    values: Vec<Value>,
    returning: &[&str],
) -> Result<Vec<QueryResult>, DbErr> {
    let width = columns.len();
    if width == 0 || !values.len().is_multiple_of(width) {
        return Err(DbErr::Custom(format!("bulk insert into {table}: {} values for {width} columns", values.len())));
    }
    let backend = db.get_database_backend();
    let per = MAX_VALUES / width;
    let mut out = Vec::new();
    let mut full: Option<String> = None;
    let mut rest = values.into_iter();
    loop {
        let chunk: Vec<Value> = rest.by_ref().take(per * width).collect();
        let rows = chunk.len() / width;
        if rows == 0 {
            break;
        }
        let sql = if rows == per {
            full.get_or_insert_with(|| text(backend, table, columns, rows, returning)).clone()
        } else {
            text(backend, table, columns, rows, returning)
        };
        let stmt = Statement::from_sql_and_values(backend, sql, chunk);
        if returning.is_empty() {
            db.execute_raw(stmt).await?;
        } else {
            out.extend(db.query_all_raw(stmt).await?);
        }
    }
    Ok(out)
}

/// `INSERT INTO "t" ("a", "b") VALUES (?, ?), … RETURNING "id"` for `rows` rows, with
/// `$n` placeholders on PostgreSQL.
fn text(backend: DbBackend, table: &str, columns: &[&str], rows: usize, returning: &[&str]) -> String {
    let quoted = |names: &[&str]| names.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
    let mut sql = String::with_capacity(64 + rows * columns.len() * 8);
    let _ = write!(sql, "INSERT INTO \"{table}\" ({}) VALUES ", quoted(columns));
    let mut n = 0;
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for col in 0..columns.len() {
            if col > 0 {
                sql.push_str(", ");
            }
            n += 1;
            match backend {
                DbBackend::Postgres => {
                    let _ = write!(sql, "${n}");
                }
                _ => sql.push('?'),
            }
        }
        sql.push(')');
    }
    if !returning.is_empty() {
        let _ = write!(sql, " RETURNING {}", quoted(returning));
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_numbers_placeholders_per_backend() {
        let pg = text(DbBackend::Postgres, "t", &["a", "b"], 2, &["id"]);
        assert_eq!(pg, r#"INSERT INTO "t" ("a", "b") VALUES ($1, $2), ($3, $4) RETURNING "id""#);
        let lite = text(DbBackend::Sqlite, "t", &["a"], 3, &[]);
        assert_eq!(lite, r#"INSERT INTO "t" ("a") VALUES (?), (?), (?)"#);
    }
}
