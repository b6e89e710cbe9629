//! The 立案 form as typed (`/cases/new`): the unit from the register, up to
//! [`PERSONS`] persons, up to [`VIOLATIONS`] violations chosen from the catalogue,
//! turned into the API's `CreateCase`; and the API's field paths (`parties[1].name`,
//! `violations[0].fine_yuan`) turned back into the form's own fields, so every
//! problem is shown beside what the user typed.
//!
//! Decisions:
//! - Blank rows are skipped; a row's party is named by the form (`unit`, `p1`, `p2`)
//!   and mapped to its index among the parties actually sent.
//! - A fine typed under the general procedure is not sent: the general procedure
//!   proposes fines at 案件处理呈批, and the form says so.

use super::hazard_pages::parse_date;
use super::page::whole_number;
use crate::case::domain::{PartyKind, PartyRole, Procedure};
use crate::case::json::{CreateCase, NewParty, NewViolation};
use crate::error::{AppError, FieldErrors};
use std::collections::HashMap;

pub const PERSONS: usize = 2;
pub const VIOLATIONS: usize = 5;

/// What was typed, by field name (the last value of a repeated name).
#[derive(Debug, Default, Clone)]
pub struct Typed(pub HashMap<String, String>);

impl Typed {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self(pairs.into_iter().collect())
    }

    /// The typed value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }

    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.0.insert(name.to_owned(), value.into());
    }

    fn text(&self, name: &str) -> String {
        self.get(name).trim().to_owned()
    }
}

/// The request built from the form and, for each party and violation sent, the
/// form field it came from (to place the API's problems).
pub struct Built {
    pub body: CreateCase,
    pub party_fields: Vec<String>,
    pub violation_rows: Vec<usize>,
}

fn push(f: &mut FieldErrors, field: &str, message: &str) {
    f.entry(field.to_owned()).or_default().push(message.to_owned());
}

fn parties(t: &Typed, f: &mut FieldErrors) -> (Vec<NewParty>, Vec<String>) {
    let mut out = Vec::new();
    let mut fields = Vec::new();
    let enterprise_id = t.get("enterprise_id").trim().parse::<i64>().ok();
    if enterprise_id.is_some() || !t.text("unit_name").is_empty() {
        out.push(NewParty {
            kind: PartyKind::Unit,
            enterprise_id,
            name: t.text("unit_name"),
            id_number: None,
            role: None,
        });
        fields.push("unit".to_owned());
    } else if !t.text("enterprise_q").is_empty() {
        push(f, "unit", "请从名录中选择企业（输入名称后在列表中点选）");
    }
    for n in 1..=PERSONS {
        let (name, id) = (t.text(&format!("p{n}_name")), t.text(&format!("p{n}_id")));
        if name.is_empty() && id.is_empty() {
            continue;
        }
        let role =
            if t.get(&format!("p{n}_role")) == "principal" { PartyRole::Principal } else { PartyRole::Responsible };
        out.push(NewParty {
            kind: PartyKind::Person,
            enterprise_id: None,
            name,
            id_number: Some(id).filter(|s| !s.is_empty()),
            role: Some(role),
        });
        fields.push(format!("p{n}"));
    }
    (out, fields)
}

fn violations(
    t: &Typed,
    party_fields: &[String],
    simple: bool,
    f: &mut FieldErrors,
) -> (Vec<NewViolation>, Vec<usize>) {
    let mut out = Vec::new();
    let mut rows = Vec::new();
    for n in 1..=VIOLATIONS {
        let code = t.text(&format!("v{n}_code"));
        if code.is_empty() {
            continue;
        }
        let who = t.text(&format!("v{n}_party"));
        let who = if who.is_empty() { "unit".to_owned() } else { who };
        let party = party_fields.iter().position(|p| *p == who).unwrap_or_else(|| {
            push(f, &format!("v{n}_party"), "所选当事人没有填写，请先在上面填写该当事人");
            0
        });
        let fine_field = format!("v{n}_fine");
        let fine = if simple { whole_number(t.get(&fine_field), &fine_field, f) } else { None };
        let stage = Some(t.text(&format!("v{n}_stage"))).filter(|s| !s.is_empty());
        out.push(NewViolation { catalogue_code: code, party, stage, act: None, fine_yuan: fine });
        rows.push(n);
    }
    (out, rows)
}

/// The request from the form; problems the form itself finds (a number that is not
/// one, a party not typed) come back in the form's own field names.
pub fn build(t: &Typed) -> Result<Built, AppError> {
    let mut f = FieldErrors::new();
    let simple = t.get("procedure") == "simple";
    let (party_list, party_fields) = parties(t, &mut f);
    let (violation_list, violation_rows) = violations(t, &party_fields, simple, &mut f);
    let act_on = t.text("act_on");
    let act = (!act_on.is_empty()).then(|| parse_date(&act_on)).flatten();
    if !act_on.is_empty() && act.is_none() {
        push(&mut f, "act_on", "请按“年-月-日”填写日期");
    }
    let co_handler = t.text("co_handler_id").parse().ok();
    let body = CreateCase {
        parties: party_list,
        facts: t.get("facts").to_owned(),
        inspection_id: t.text("inspection_id").parse().ok(),
        hazard_ids: t.text("hazard_id").parse().ok().into_iter().collect(),
        violations: violation_list,
        procedure: if simple { Procedure::Simple } else { Procedure::General },
        co_handler_id: co_handler,
        complex: !t.get("complex").is_empty(),
        act_on: act,
    };
    if f.is_empty() { Ok(Built { body, party_fields, violation_rows }) } else { Err(AppError::Validation(f)) }
}

/// The form field of an API field path (`parties[1].name` → `p1_name`).
fn form_field(path: &str, party_fields: &[String], violation_rows: &[usize]) -> String {
    let index = |rest: &str| -> Option<(usize, String)> {
        let (i, tail) = rest.split_once(']')?;
        Some((i.parse().ok()?, tail.trim_start_matches('.').to_owned()))
    };
    if let Some((i, tail)) = path.strip_prefix("parties[").and_then(index) {
        return match party_fields.get(i).map(String::as_str) {
            Some("unit") | None => "unit".to_owned(),
            Some(p) => match tail.as_str() {
                "id_number" => format!("{p}_id"),
                "role" => format!("{p}_role"),
                _ => format!("{p}_name"),
            },
        };
    }
    if let Some((i, tail)) = path.strip_prefix("violations[").and_then(index) {
        let n = violation_rows.get(i).copied().unwrap_or(1);
        let suffix = match tail.as_str() {
            "party" => "party",
            "stage" => "stage",
            "fine_yuan" => "fine",
            _ => "code",
        };
        return format!("v{n}_{suffix}");
    }
    if path.starts_with("hazard_ids") || path == "inspection_id" {
        return "links".to_owned();
    }
    path.to_owned()
}

/// The API's problems under the form's field names.
pub fn on_form(e: AppError, built: &Built) -> AppError {
    match e {
        AppError::Validation(fields) => {
            let mut out = FieldErrors::new();
            for (path, messages) in fields {
                let key = form_field(&path, &built.party_fields, &built.violation_rows);
                out.entry(key).or_default().extend(messages);
            }
            AppError::Validation(out)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_paths_land_on_the_fields_typed() {
        let parties = vec!["unit".to_owned(), "p2".to_owned()];
        let rows = vec![1, 3];
        assert_eq!(form_field("parties[0].enterprise_id", &parties, &rows), "unit");
        assert_eq!(form_field("parties[1].id_number", &parties, &rows), "p2_id");
        assert_eq!(form_field("parties[1].name", &parties, &rows), "p2_name");
        assert_eq!(form_field("violations[1].fine_yuan", &parties, &rows), "v3_fine");
        assert_eq!(form_field("violations[0].catalogue_code", &parties, &rows), "v1_code");
        assert_eq!(form_field("hazard_ids[0]", &parties, &rows), "links");
        assert_eq!(form_field("facts", &parties, &rows), "facts");
    }
}
