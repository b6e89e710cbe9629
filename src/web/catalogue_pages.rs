//! 处罚目录 (`/penalty-catalogue`): the legal catalogue by law — the laws with their
//! dates, each entry with its parties, fine rows, measures, the 按日连续处罚 flag and
//! 未核实 mark — with the discretion benchmarks and the no-penalty list beside each
//! entry; searchable by checklist item (`HC-16`) or a keyword. Read from
//! `case::catalogue::data()`, the same files the API serves.

use super::layout::{Layout, Section};
use super::page::{PageResult, PageUser, render};
use crate::case::catalogue::{self, Benchmark, CatalogueEntry, Law, NoPenaltyItem, stage_zh, yuan};
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use serde::Deserialize;

/// An entry as shown, with what binds it.
pub struct EntryView {
    pub e: &'static CatalogueEntry,
    pub citation: String,
    pub parties: String,
    pub fines: Vec<String>,
    pub benchmarks: Vec<(String, Vec<String>)>,
    pub no_penalty: Option<&'static NoPenaltyItem>,
}

pub struct LawView {
    pub law: &'static Law,
    pub entries: Vec<EntryView>,
}

#[derive(Template)]
#[template(path = "penalty_catalogue.html")]
struct CataloguePage {
    layout: Layout,
    q: String,
    laws: Vec<LawView>,
    shown: usize,
    source: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Shown {
    q: String,
}

fn matches(d: &catalogue::Data, e: &CatalogueEntry, q: &str) -> bool {
    q.is_empty()
        || e.checklist_items.iter().any(|i| i.eq_ignore_ascii_case(q))
        || e.conduct.contains(q)
        || e.code.eq_ignore_ascii_case(q)
        || d.citation(e).contains(q)
        || e.note.contains(q)
}

fn bench_text(b: &Benchmark) -> (String, Vec<String>) {
    let head = format!("{}・{}", catalogue::FineParty::zh(b.party), stage_zh(&b.stage));
    let steps = b
        .steps
        .iter()
        .map(|s| format!("{}（{}至{}）：{}", s.label, yuan(s.min_yuan), yuan(s.max_yuan), s.conditions))
        .collect();
    (head, steps)
}

fn entry_view(d: &'static catalogue::Data, e: &'static CatalogueEntry) -> EntryView {
    EntryView {
        citation: d.citation(e),
        parties: e.parties.iter().map(|p| p.zh()).collect::<Vec<_>>().join("、"),
        fines: e.fines.iter().map(|f| format!("{}・{}：{}", f.party.zh(), stage_zh(&f.stage), f.text())).collect(),
        benchmarks: d.discretion.benchmarks.iter().filter(|b| b.entry == e.code).map(bench_text).collect(),
        no_penalty: d.no_penalty(&e.code),
        e,
    }
}

pub async fn show(State(state): State<AppState>, PageUser(user): PageUser, Query(s): Query<Shown>) -> PageResult {
    if !user.is_bureau_user() {
        return Err(AppError::NotFound.into());
    }
    let d = catalogue::data()?;
    let q = s.q.trim().chars().take(50).collect::<String>();
    let laws: Vec<LawView> = d
        .catalogue
        .laws
        .iter()
        .map(|law| LawView {
            law,
            entries: d
                .catalogue
                .entries
                .iter()
                .filter(|e| e.law == law.code && matches(d, e, &q))
                .map(|e| entry_view(d, e))
                .collect(),
        })
        .filter(|l| q.is_empty() || !l.entries.is_empty())
        .collect();
    render(&CataloguePage {
        layout: Layout::new(&state, &user, "处罚目录", Section::PenaltyCatalogue).await?,
        shown: laws.iter().map(|l| l.entries.len()).sum(),
        laws,
        q,
        source: d.discretion.source.clone(),
    })
}
